"""Cell parsers: one raw cell in, a clean value out, or a ``CellError`` saying why."""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .base import Cell, CellError

# --------------------------------------------------------------------------------------------
# Cell parsers
# --------------------------------------------------------------------------------------------

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# Control characters other than whitespace (NUL, \x01, DEL ...): PostgreSQL text cannot hold
# NUL and .xlsx cannot hold any of them, so a cell carrying one would fail the whole import.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f]")


def clean_text(value: Cell) -> str:
    """Text as it should be stored: half-width (NFKC), no zero-width or control characters,
    no surrounding or repeated whitespace. Whole-number floats lose their ``.0``; dates become
    ``2015-03-05``."""
    if value.__class__ is not str:  # most cells are text: skip the type tests for them
        if value is None:
            return ""
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, float):
            if value.is_integer():
                return str(int(value))
            return repr(value)
        if isinstance(value, datetime.datetime):
            return value.isoformat(sep=" ", timespec="seconds").removesuffix(" 00:00:00")
        if isinstance(value, datetime.date):
            return value.isoformat()
        value = str(value)
    text = value
    # Most cells are already clean; the checks below are much cheaper than normalising.
    if not text.isascii():
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        if _ZERO_WIDTH.search(text):
            text = _ZERO_WIDTH.sub("", text)
    if not text.isprintable() and _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    return " ".join(text.split())


def parse_code_text(value: Cell) -> str:
    """A code that must arrive as text (credit code, case number).

    A number cell has already lost digits: Excel keeps 15 significant digits, so an 18-digit
    code typed as a number ends in zeros. Reject it rather than store a wrong code."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(
            _(
                "The cell holds the number %(value)s, not text: Excel has already dropped digits "
                "of the code. Format the column as Text, type the code again and re-upload."
            )
            % {"value": clean_text(value)}
        )
    text = clean_text(value)
    if _SCIENTIFIC.match(text.replace(" ", "")):
        # 9.11201E+17: a CSV saved by Excel after it showed the code as a number.
        raise CellError(
            _(
                "the code was turned into a number and lost digits: format the column as text "
                "and export again"
            )
        )
    return text


_INT_TEXT = re.compile(r"^\+?(\d+)(?:\.0+)?$")
_INT_SUFFIXES = ("人", "名", "个", "位")


def parse_int(value: Cell, *, minimum: int = 0) -> int | None:
    """A whole number from 42, 42.0, "42", "1,200", "120人", "１２０"; None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError(_("%(value)s is not a whole number.") % {"value": clean_text(value)})
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("%(value)s is not a whole number.") % {"value": clean_text(value)})
        number = int(value)
    else:
        text = "".join(clean_text(value).split()).replace(",", "")
        if not text:
            return None
        for suffix in _INT_SUFFIXES:
            text = text.removesuffix(suffix)
        match = _INT_TEXT.match(text)
        if not match:
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": clean_text(value)})
        number = int(match.group(1))
    if number < minimum:
        raise CellError(
            _("%(value)s is less than %(minimum)d.") % {"value": number, "minimum": minimum}
        )
    return number


_DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
MIN_YEAR, MAX_YEAR = 1900, 2100


def _date_or_error(year: int, month: int, day: int, shown: str) -> datetime.date:
    try:
        result = datetime.date(year, month, day)
    except ValueError as exc:
        raise CellError(_("The date %(value)s does not exist.") % {"value": shown}) from exc
    if not MIN_YEAR <= result.year <= MAX_YEAR:
        raise CellError(_("The date %(value)s is not plausible.") % {"value": shown})
    return result


def parse_date(value: Cell) -> datetime.date | None:
    """A date from an Excel date/datetime, an Excel serial number (42068.0), or text:
    2015-03-05, 2015-3-5, 2015/3/5, 2015.03.05, 2015年3月5日, 20150305. None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return _date_or_error(value.year, value.month, value.day, clean_text(value))
    if isinstance(value, datetime.date):
        return _date_or_error(value.year, value.month, value.day, value.isoformat())
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 19000101 <= value <= 21001231:
            digits = str(int(value))
            return _date_or_error(int(digits[:4]), int(digits[4:6]), int(digits[6:]), digits)
        if 1 <= value < 80000:  # an Excel serial up to the 2100s
            result = _EXCEL_EPOCH + datetime.timedelta(days=int(value))
            return _date_or_error(result.year, result.month, result.day, clean_text(value))
        raise CellError(_("The number %(value)s is not a date.") % {"value": clean_text(value)})
    text = clean_text(value)
    if not text:
        return None
    match = _DATE_TEXT.match(text) or _DATE_DIGITS.match(text)
    if not match:
        raise CellError(_("“%(value)s” is not a date; write it like 2015-03-05.") % {"value": text})
    year, month, day = (int(part) for part in match.groups())
    return _date_or_error(year, month, day, text)


_SCIENTIFIC = re.compile(r"^(\d)(?:\.(\d+))?[eE]\+?(\d+)$")


def parse_phone(value: Cell) -> str:
    """A phone number as text; 1.3812345678E10 (a number cell, or its text) becomes
    13812345678. Scientific text that has lost digits is refused."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        raise CellError(_("%(value)s is not a phone number.") % {"value": clean_text(value)})
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("%(value)s is not a phone number.") % {"value": clean_text(value)})
        return str(int(value))
    text = clean_text(value)
    match = _SCIENTIFIC.match(text.replace(" ", ""))
    if match:
        whole, fraction, exponent = match.group(1), match.group(2) or "", int(match.group(3))
        if len(fraction) < exponent:
            # 1.38123E+10: Excel showed only 6 digits and the CSV kept only those.
            raise CellError(
                _(
                    "%(value)s is a number in scientific notation and its last digits are lost. "
                    "Format the column as Text, type the number again and re-upload."
                )
                % {"value": text}
            )
        try:
            return str(int(Decimal(f"{whole}.{fraction}e{exponent}")))
        except (InvalidOperation, ValueError) as exc:  # pragma: no cover - regex guards it
            raise CellError(_("%(value)s is not a phone number.") % {"value": text}) from exc
    if re.fullmatch(r"\d+\.0", text):
        return text[:-2]
    return text


_YES = frozenset({"是", "y", "yes", "true", "t", "√", "✓", "✔", "1", "有", "对"})
_NO = frozenset({"否", "n", "no", "false", "f", "×", "✗", "✘", "0", "无", "/", "-", "—", "--"})


def parse_bool(value: Cell) -> bool:
    """是/否, Y/N, √, 1/0, TRUE/FALSE; an empty cell means no."""
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise CellError(
            _("%(value)s is not yes or no: write 是 or 否.") % {"value": clean_text(value)}
        )
    text = clean_text(value).lower()
    if text in _YES:
        return True
    if text in _NO or not text:
        return False
    raise CellError(_("“%(value)s” is not yes or no: write 是 or 否.") % {"value": text})
