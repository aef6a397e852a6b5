import pytest
from hypothesis import given
from hypothesis import strategies as st

from employers.credit_code import (
    CHARSET,
    credit_code_error,
    is_valid_credit_code,
    make_credit_code,
    normalise_credit_code,
)


@pytest.mark.parametrize("code", ["911201117706402073", "91350100M000100Y43", "92370102MA3M9AG94X"])
def test_spec_examples_are_valid(code):
    assert is_valid_credit_code(code)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("91350100m000100y43", "91350100M000100Y43"),
        ("".join(chr(ord(c) + 0xFEE0) for c in "911201117706402073"), "911201117706402073"),
        (" 9112 0111 7706 4020 73 ", "911201117706402073"),
        ("92370102MA3M9AG94X\u3000", "92370102MA3M9AG94X"),
    ],
)
def test_normalisation_then_valid(raw, expected):
    assert normalise_credit_code(raw) == expected
    assert is_valid_credit_code(normalise_credit_code(raw))


def test_wrong_check_character_names_the_expected_one():
    message = credit_code_error("911201117706402074")
    assert message and "3" in message


def test_old_registration_number_asks_for_the_new_code():
    message = credit_code_error("120111000012345")
    assert message and "18" in message


def test_forbidden_letters_are_named():
    message = credit_code_error("91120111770640207I")
    assert message and "I" in message


@given(st.text(alphabet=CHARSET, min_size=17, max_size=17))
def test_made_codes_validate_and_any_single_change_breaks_them(body):
    code = make_credit_code(body)
    assert is_valid_credit_code(code)
    for i in range(18):
        for ch in "0A":
            if code[i] != ch:
                changed = code[:i] + ch + code[i + 1 :]
                assert not is_valid_credit_code(changed)
                break
