"""Xiqing's area units (GB/T 2260 / NBS codes) and the spellings streets use for them."""

import re
import unicodedata

# (code, official name, kind)
XIQING_UNITS: list[tuple[str, str, str]] = [
    ("120111001", "西营门街道", "street"),
    ("120111002", "李七庄街道", "street"),
    ("120111003", "赤龙南街道", "street"),
    ("120111004", "赤龙北街道", "street"),
    ("120111005", "津门湖街道", "street"),
    ("120111100", "中北镇", "town"),
    ("120111101", "杨柳青镇", "town"),
    ("120111102", "辛口镇", "town"),
    ("120111103", "张家窝镇", "town"),
    ("120111104", "精武镇", "town"),
    ("120111105", "大寺镇", "town"),
    ("120111106", "王稳庄镇", "town"),
    ("120111450", "西青经济技术开发区", "zone"),
]

_PREFIXES = ("天津市", "西青区")
_SUFFIXES = ("街道办事处", "街道", "街", "镇人民政府", "镇政府", "镇")


def unit_key(raw: object) -> str:
    """The bare place name: 李七庄街道 / 李七庄街 / 李七庄 all give 李七庄."""
    text = unicodedata.normalize("NFKC", str(raw or ""))
    text = re.sub(r"\s+", "", text)
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)]
    return text


def _aliases() -> dict[str, str]:
    table: dict[str, str] = {}
    for code, name, _kind in XIQING_UNITS:
        table[unit_key(name)] = code
        table[code] = code
    for alias in ("西青开发区", "开发区", "西青经济开发区", "经济技术开发区", "西青经济技术开发区"):
        table[unit_key(alias)] = "120111450"
    return table


UNIT_ALIASES = _aliases()


def unit_code_for(raw: object) -> str | None:
    """The NBS code for any common spelling of a Xiqing unit, or None."""
    key = unit_key(raw)
    if not key:
        return None
    return UNIT_ALIASES.get(key)
