"""Finding the header row and matching its titles against an importer's aliases."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from .base import IGNORED_HEADERS, Cell
from .cells import clean_text

# --------------------------------------------------------------------------------------------
# Header detection
# --------------------------------------------------------------------------------------------

_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】|〔[^〕]*〕")


def header_key(value: Cell) -> str:
    """A header cell reduced to what matters: 统一社会信用代码＊ / 统一社会 信用代码 match."""
    text = unicodedata.normalize("NFKC", str(value if value is not None else ""))
    text = "".join(text.split()).replace("*", "").rstrip(":").lower()
    return text


def _alias_table(aliases: Mapping[str, Sequence[str]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for canonical, names in aliases.items():
        for alias in (canonical, *names):
            table.setdefault(header_key(alias), canonical)
    return table


def _match_header(cell: Cell, table: Mapping[str, str]) -> str | None:
    key = header_key(cell)
    if not key or key in IGNORED_HEADERS:
        return None
    if key in table:
        return table[key]
    # 职工人数(人), 联系电话(手机), 单位名称【必填】: the note in brackets does not matter.
    bare = _BRACKETED.sub("", key)
    return table.get(bare) if bare else None


@dataclass(frozen=True)
class Header:
    """The header row as found: where it is, its titles as written, and which column holds
    which field."""

    row_number: int
    titles: tuple[str, ...]
    columns: Mapping[str, int]
    labels: Mapping[str, str] = field(default_factory=dict)

    def title_of(self, name: str) -> str:
        """The column title as the file writes it (社会信用代码), else the caller's label."""
        index = self.columns.get(name)
        if index is not None and self.titles[index]:
            return self.titles[index]
        return self.labels.get(name, name)


def find_header(
    rows: Sequence[Sequence[Cell]],
    *,
    aliases: Mapping[str, Sequence[str]],
    required: Collection[str],
    first_row_number: int = 1,
) -> Header | None:
    """The first row that names every required field; None when no row does."""
    table = _alias_table(aliases)
    for offset, cells in enumerate(rows):
        columns: dict[str, int] = {}
        for index, cell in enumerate(cells):
            name = _match_header(cell, table)
            if name is not None and name not in columns:
                columns[name] = index
        if columns and set(required) <= columns.keys():
            titles = tuple(clean_text(cell) for cell in cells)
            return Header(first_row_number + offset, titles, columns)
    return None


def _missing_columns(
    rows: Sequence[Sequence[Cell]],
    aliases: Mapping[str, Sequence[str]],
    required: Collection[str],
) -> list[str]:
    table = _alias_table(aliases)
    best: set[str] = set()
    for cells in rows:
        found = {name for cell in cells if (name := _match_header(cell, table))}
        if len(found & set(required)) > len(best & set(required)):
            best = found
    return [name for name in aliases if name in required and name not in best]
