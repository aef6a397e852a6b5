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


def _match_row(cells: Sequence[Cell], table: Mapping[str, str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = _match_header(cell, table)
        if name is not None and name not in columns:
            columns[name] = index
    return columns


Merge = tuple[int, int, int, int]


def _is_title_row(cells: Sequence[Cell]) -> bool:
    """Only text, at least one filled cell: could be a header row (or a title)."""
    filled = [c for c in cells if c is not None and c != ""]
    return bool(filled) and all(isinstance(c, str) for c in filled)


def _combined(
    upper: Sequence[Cell],
    lower: Sequence[Cell],
    table: Mapping[str, str],
    merges: Sequence[Merge] | None,
    upper_index: int,
) -> tuple[dict[str, int], tuple[str, ...]]:
    """Two header rows read as one: each column takes its lowest non-empty title, a merged
    title of the upper row (联系人 over 姓名 / 电话) is carried across its span, and the
    combination is matched first (联系人姓名, 联系人电话), then the lower title alone."""
    width = max(len(upper), len(lower))
    up = [clean_text(c) for c in upper] + [""] * (width - len(upper))
    low = [clean_text(c) for c in lower] + [""] * (width - len(lower))
    carried = list(up)
    if merges:
        for first_row, first_col, last_row, last_col in merges:
            if first_row <= upper_index <= last_row and 0 <= first_col < width:
                for column in range(first_col + 1, min(last_col, width - 1) + 1):
                    carried[column] = carried[column] or up[first_col]
    elif merges is None:
        # No merge information (CSV): carry a group title over the filled titles below it.
        for column in range(1, width):
            if not carried[column] and low[column] and carried[column - 1] and low[column - 1]:
                carried[column] = carried[column - 1]
    columns: dict[str, int] = {}
    titles: list[str] = []
    for index in range(width):
        above, below = carried[index], low[index]
        title = below or above
        candidates = [above + below, below] if above and below else [title]
        for candidate in candidates:
            name = _match_header(candidate, table)
            if name is not None and name not in columns:
                columns[name] = index
                if candidate != below and below:
                    title = candidate
                break
        titles.append(title)
    return columns, tuple(titles)


def find_header(
    rows: Sequence[Sequence[Cell]],
    *,
    aliases: Mapping[str, Sequence[str]],
    required: Collection[str],
    first_row_number: int = 1,
    numbers: Sequence[int] | None = None,
    merges: Sequence[Merge] | None = None,
) -> Header | None:
    """The first row that names every required field; None when no row does.

    A header of two rows (merged titles over sub-titles) is read as one when the row below
    holds only text and leaves the required columns empty, or the row above holds only text,
    and reading both names more fields. ``numbers`` are the rows' numbers (default: from
    ``first_row_number`` on); ``merges`` the sheet's merged ranges, 0-based (None: unknown)."""
    table = _alias_table(aliases)
    numbers = numbers or range(first_row_number, first_row_number + len(rows))
    required = set(required)
    for offset, cells in enumerate(rows):
        columns = _match_row(cells, table)
        if not columns or not required <= columns.keys():
            continue
        titles = tuple(clean_text(cell) for cell in cells)
        header_at = offset
        pairs = []
        if offset + 1 < len(rows) and numbers[offset + 1] == numbers[offset] + 1:
            below = rows[offset + 1]
            if _is_title_row(below) and all(
                columns[name] >= len(below) or not clean_text(below[columns[name]])
                for name in required
            ):
                pairs.append((offset, offset + 1))
        if (
            offset > 0
            and numbers[offset - 1] == numbers[offset] - 1
            and _is_title_row(rows[offset - 1])
        ):
            pairs.append((offset - 1, offset))
        for top, bottom in pairs:
            both, both_titles = _combined(rows[top], rows[bottom], table, merges, numbers[top] - 1)
            if required <= both.keys() and len(both) > len(columns):
                columns, titles, header_at = both, both_titles, bottom
                break
        return Header(numbers[header_at], titles, columns)
    return None


def header_match_count(
    rows: Sequence[Sequence[Cell]], aliases: Mapping[str, Sequence[str]]
) -> tuple[int, int]:
    """(index, fields named) of the row naming most fields; (-1, 0) if none names any."""
    table = _alias_table(aliases)
    best = (-1, 0)
    for index, cells in enumerate(rows):
        found = len(_match_row(cells, table))
        if found > best[1]:
            best = (index, found)
    return best


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
