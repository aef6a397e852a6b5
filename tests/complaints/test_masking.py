import pytest

from complaints.masking import (
    mask_address,
    mask_id_number,
    mask_name,
    mask_phone,
    redact_text,
)


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三", "张*"), ("张三明", "张*明"), ("欧阳娜娜", "欧**娜"), ("张", "张"), ("", "")],
)
def test_names(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812341234", "138****1234"),
        ("022-27391234", "022*****1234"),
        ("12333", "*****"),
        ("", ""),
    ],
)
def test_phones(phone, masked):
    assert mask_phone(phone) == masked


def test_id_number_keeps_first_and_last_four():
    assert mask_id_number("120111199001011234") == "1201**********1234"
    assert mask_id_number("12011119900101123X") == "1201**********123X"


def test_address_is_hidden_entirely():
    assert mask_address("天津市西青区李七庄街道丽水园3号楼") == "****"
    assert mask_address("") == ""


def test_free_text_loses_the_identity_and_other_numbers():
    text = "张三明（电话13812341234，身份证120111199001011234）反映，同事李四电话13900001111。"
    redacted = redact_text(
        text,
        name="张三明",
        id_number="120111199001011234",
        phone="13812341234",
        address="",
    )
    assert "张三明" not in redacted and "张*明" in redacted
    assert "13812341234" not in redacted and "138****1234" in redacted
    assert "120111199001011234" not in redacted
    assert "13900001111" not in redacted and "139****1111" in redacted
