"""Masking of complainant identity (条例 Art. 9: the bureau keeps the complainant confidential).

Everyone except the inspectors assigned to a complaint and supervisors sees these masked forms:
names 张* / 张*明 / 欧**娜, phones 138****1234, ID numbers 1201**********1234, addresses hidden.
"""

import re

MASK = "*"
HIDDEN_ADDRESS = "****"


def mask_name(name: str) -> str:
    """张 -> 张, 张三 -> 张*, 张三明 -> 张*明, 欧阳娜娜 -> 欧**娜; Latin names keep the first letter."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + MASK
    return name[0] + MASK * (len(name) - 2) + name[-1]


def mask_phone(phone: str) -> str:
    """13812341234 -> 138****1234; 022-27391234 -> 022*****1234; short numbers fully starred."""
    phone = (phone or "").strip()
    if not phone:
        return ""
    if len(phone) < 7:
        return MASK * len(phone)
    return phone[:3] + MASK * (len(phone) - 7) + phone[-4:]


def mask_id_number(id_number: str) -> str:
    """120111199001011234 -> 1201**********1234 (first four and last four kept)."""
    id_number = (id_number or "").strip()
    if not id_number:
        return ""
    if len(id_number) <= 8:
        return MASK * len(id_number)
    return id_number[:4] + MASK * (len(id_number) - 8) + id_number[-4:]


def mask_address(address: str) -> str:
    # Any part of a home address narrows the person down; nothing of it is shown.
    return HIDDEN_ADDRESS if (address or "").strip() else ""


def redact_text(text: str, *, name: str, id_number: str, phone: str, address: str) -> str:
    """Free text (the allegations) often repeats the complainant's name or phone; replace each
    exact occurrence with its masked form so the text cannot undo the masking."""
    if not text:
        return text
    replacements = [
        (id_number, mask_id_number(id_number)),
        (phone, mask_phone(phone)),
        (address, mask_address(address)),
        (name, mask_name(name)),
    ]
    for secret, masked in replacements:
        secret = (secret or "").strip()
        # A one-character name is not worth masking inside text: it would star every use
        # of that character.
        if len(secret) >= 2:
            text = text.replace(secret, masked)
    # Any other long digit run that looks like a phone or an ID number is masked as well:
    # complainants quote relatives' and colleagues' numbers too.
    text = re.sub(r"\d{17}[\dXx]", lambda m: mask_id_number(m.group(0)), text)
    text = re.sub(r"(?<!\d)1[3-9]\d{9}(?!\d)", lambda m: mask_phone(m.group(0)), text)
    return text
