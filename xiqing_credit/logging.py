"""Keep personal data out of the logs.

Complainants, legal representatives and contact people are natural persons: their mobile
numbers and resident ID numbers must not end up in log files, which are kept longer and read by
more people than the records themselves. Every log handler carries ``PersonalDataFilter``; it
masks the formatted message and any traceback text before a handler writes the record.
"""

import logging
import re

# Mainland mobile numbers, optionally with +86 / 86; not when part of a longer digit run
# (credit codes, case numbers, amounts).
MOBILE_RE = re.compile(
    r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![0-9A-Za-z])"
)
# Landlines written with an area code: 022-23456789, (022)2345678, 022 2345 6789.
LANDLINE_RE = re.compile(
    r"(?<![0-9A-Za-z])(?:\(0\d{2,3}\)|0\d{2,3}[- ])\d{3,4}[- ]?(\d{4})(?![0-9A-Za-z])"
)
# Resident ID numbers (GB 11643): 6-digit area, birth date 18xx-20xx, 3-digit sequence, check
# character. The date part keeps unified social credit codes (public business data) unmasked.
RESIDENT_ID_RE = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    r"\d{2}(\d)([0-9Xx])(?![0-9A-Za-z])"
)


def mask_personal_data(text: str) -> str:
    """Mask mobile, landline and resident ID numbers, keeping just enough to tell them apart."""
    text = RESIDENT_ID_RE.sub(lambda m: "*" * 16 + m.group(1) + m.group(2), text)
    text = MOBILE_RE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return LANDLINE_RE.sub(lambda m: "****" + m.group(1), text)


class PersonalDataFilter(logging.Filter):
    """Masks personal numbers in a record; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must still be logged, unformatted
            message = str(record.msg)
        masked = mask_personal_data(message)
        if masked != message or record.args:
            record.msg = masked
            record.args = ()
        if record.exc_info and not record.exc_text:
            # Format the traceback here so the handler's formatter reuses the masked text.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_data(record.stack_info)
        return True
