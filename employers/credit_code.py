"""The unified social credit code (统一社会信用代码), GB 32100-2015."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {ch: i for i, ch in enumerate(CHARSET)}


def normalise_credit_code(raw: object) -> str:
    """Half-width, upper-case, without any whitespace (users paste codes with spaces)."""
    if raw is None:
        return ""
    text = unicodedata.normalize("NFKC", str(raw))
    return "".join(text.split()).upper()


def check_character(first17: str) -> str:
    total = sum(_VALUE[ch] * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def credit_code_error(code: str) -> str | None:
    """Why a normalised code is not valid, in the user's language; None when it is valid."""
    if not code:
        return str(_("The unified social credit code is missing."))
    if len(code) == 15 and code.isdigit():
        return str(
            _(
                "%(code)s is an old 15-digit registration number; "
                "the 18-character unified social credit code is needed."
            )
            % {"code": code}
        )
    if len(code) != 18:
        return str(
            _("The unified social credit code must have 18 characters, not %(count)d.")
            % {"count": len(code)}
        )
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        return str(
            _("The unified social credit code contains characters that are not allowed: %(chars)s.")
            % {"chars": " ".join(bad)}
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        return str(
            _(
                "The check character of %(code)s is wrong (expected %(expected)s): "
                "please check the code for a typing error."
            )
            % {"code": code, "expected": expected}
        )
    return None


def is_valid_credit_code(code: str) -> bool:
    return credit_code_error(code) is None


def validate_credit_code(value: str) -> None:
    """Model/form validator; expects the normalised code."""
    error = credit_code_error(normalise_credit_code(value))
    if error:
        raise ValidationError(error, code="invalid_credit_code")


def make_credit_code(body17: str) -> str:
    """Complete 17 characters with their check character (demo data, tests, benchmarks)."""
    return body17 + check_character(body17)
