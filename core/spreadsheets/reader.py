"""Rows of the first sheet that has a header: data rows only, notes and blank rows skipped."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

from .base import HEADER_SEARCH_ROWS, Cell, Source, SpreadsheetError
from .cells import clean_text
from .header import Header, _missing_columns, find_header, header_key, header_match_count
from .limits import Limits
from .sniff import extension_of, sniff_format
from .sources import SheetRows, csv_rows, workbook_sheets

# --------------------------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------------------------

# A signature, notes or totals row below (or between) the data: 填表人：王敏  审核人：李强  合计.
NOTE_LABELS = (
    "填表人",
    "填报人",
    "制表人",
    "统计人",
    "审核人",
    "审批人",
    "负责人",
    "单位负责人",
    "填报日期",
    "填表日期",
    "制表日期",
    "备注",
    "说明",
    "注",
    "合计",
    "总计",
    "小计",
)
# The label alone or followed by a colon, a space or a digit: 合计 / 填表人：王敏 / 注1.
_NOTE = re.compile("^(?:" + "|".join(NOTE_LABELS) + r")(?:$|[:\s\d])")
_LABELLED = re.compile(r"^[^\d:]{1,10}:")


def _is_blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


# What _first_filled returns for a row with no filled cell (None is a possible cell value).
_NO_CELL = object()


def _first_filled(cells: Sequence[Cell]) -> Cell:
    """The first cell that is not blank, or ``_NO_CELL``. A data row usually stops at its
    first cell (序号 or the name), so this is the whole cost of the blank-row check."""
    for cell in cells:
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            continue
        return cell
    return _NO_CELL


def _is_note(cells: Sequence[Cell], has_key_value: Callable[[], bool]) -> bool:
    """A notes row: it starts with a note label, or (holding no key field) every filled cell
    is a "label：value" pair. Cheap for ordinary data rows, which start with a number (序号)
    or a name."""
    return _is_note_after(_first_filled(cells), cells, has_key_value)


def _is_note_after(first: Cell, cells: Sequence[Cell], has_key_value: Callable[[], bool]) -> bool:
    """``_is_note`` for a row whose first filled cell is already known."""
    if not isinstance(first, str):  # also _NO_CELL
        return False
    text = clean_text(first)
    if _NOTE.match(text):
        return True
    if not _LABELLED.match(text):  # a name, not "label：value": an ordinary row
        return False
    return (
        all(
            isinstance(c, str) and _LABELLED.match(clean_text(c)) for c in cells if not _is_blank(c)
        )
        and not has_key_value()
    )


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its number as Excel shows it, its cells as read, and field access."""

    number: int
    cells: Sequence[Cell]
    header: Header

    def __getitem__(self, name: str) -> Cell:
        index = self.header.columns.get(name)
        if index is None or index >= len(self.cells):
            return ""
        value = self.cells[index]
        return "" if value is None else value

    def has(self, name: str) -> bool:
        """Whether the file has this column at all (a blank cell still counts)."""
        return name in self.header.columns


def _signature(cells: Sequence[Cell]) -> tuple[tuple[int, str], ...]:
    return tuple(
        (index, header_key(cell)) for index, cell in enumerate(cells) if not _is_blank(cell)
    )


class Table:
    """An opened spreadsheet positioned after its header row; iterate it for data rows.

    Entirely blank rows are skipped; so are notes, signature and totals rows (the first filled
    cell is 填表人, 审核人, 合计, 备注 ... alone or followed by a colon; or, when none of the
    ``key_fields`` is filled, every filled cell is a "label：value"). ``skipped_notes`` counts
    the latter. A row repeating the title or header block above the data (two sheets pasted
    one below the other) is skipped too; ``skipped_rows`` counts those."""

    def __init__(
        self,
        *,
        kind: str,
        sheet_name: str,
        header: Header,
        rows: Iterator[tuple[int, Sequence[Cell]]],
        key_fields: Collection[str],
        close: Callable[[], None],
        block: Sequence[Sequence[Cell]] = (),
    ) -> None:
        self.kind = kind
        self.sheet_name = sheet_name
        self.header = header
        self._rows = rows
        self._key_fields = [name for name in key_fields if name in header.columns]
        self._close = close
        self.skipped_notes = 0
        self.skipped_rows = 0
        # The rows from the top through the header, as signatures; a data row is compared
        # with them only when its first filled cell is the first filled cell of one of them.
        self._block = {_signature(cells) for cells in block} - {()}
        self._block_firsts = {
            first.strip() for cells in block if isinstance(first := _first_filled(cells), str)
        }

    def __iter__(self) -> Iterator[Row]:
        header = self.header
        key_fields = self._key_fields
        firsts = self._block_firsts
        # The last titled column: cells right of it belong to no field.
        width = max((i + 1 for i, title in enumerate(header.titles) if title), default=0)
        for number, cells in self._rows:
            first = _first_filled(cells)
            if first is _NO_CELL:
                continue
            # Cells right of the header's last column (a stray cell far away) are no data.
            if len(cells) > width and _first_filled(cells[:width]) is _NO_CELL:
                continue
            if (
                firsts
                and isinstance(first, str)
                and first.strip() in firsts
                and _signature(cells) in self._block
            ):
                self.skipped_rows += 1
                continue
            row = Row(number, cells, header)
            if isinstance(first, str) and _is_note_after(
                first, cells, lambda row=row: any(not _is_blank(row[k]) for k in key_fields)
            ):
                self.skipped_notes += 1
                continue
            yield row

    def close(self) -> None:
        self._close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def open_table(
    source: Source,
    *,
    aliases: Mapping[str, Sequence[str]],
    required: Collection[str],
    key_fields: Collection[str] | None = None,
    labels: Mapping[str, str] | None = None,
    name: str | None = None,
    limits: Limits | None = None,
) -> Table:
    """Open a spreadsheet and position it after its header row.

    ``source`` is a path or a seekable binary file (``name`` then gives the extension).
    ``aliases`` maps each field to the header titles that mean it; ``required`` fields must
    all be named by the header row; ``key_fields`` (default: ``required``) tell data rows from
    signature rows; ``labels`` name fields for messages when the file lacks their column.
    ``limits`` default to the ``SPREADSHEET_MAX_*`` settings and are checked before any
    parser allocates. Raises SpreadsheetError when the file cannot be read, is over a limit
    or has no such header row (naming the required columns it lacks)."""
    path = Path(source) if isinstance(source, str | Path) else None
    handle: BinaryIO = path.open("rb") if path is not None else source  # type: ignore[assignment]
    owns_handle = path is not None
    extension = extension_of(name or (path.name if path else ""))
    try:
        kind = sniff_format(handle)
        table = _open_sniffed(
            handle,
            path,
            extension,
            kind,
            aliases=aliases,
            required=required,
            key_fields=required if key_fields is None else key_fields,
            labels=labels or {},
            close=handle.close if owns_handle else (lambda: None),
            limits=limits or Limits.from_settings(),
        )
    except BaseException:
        if owns_handle:
            handle.close()
        raise
    return table


def _open_sniffed(
    handle: BinaryIO,
    path: Path | None,
    extension: str,
    kind: str,
    *,
    aliases: Mapping[str, Sequence[str]],
    required: Collection[str],
    key_fields: Collection[str],
    labels: Mapping[str, str],
    close: Callable[[], None],
    limits: Limits,
) -> Table:
    searched: list[Sequence[Cell]] = []
    if kind == "csv":
        text, numbered = csv_rows(handle, limits)
        sheets: Iterator[SheetRows] = iter([SheetRows("", numbered)])
        close_book: Callable[[], None] = lambda: text.detach()  # noqa: E731 - keep the handle
        unknown_merges = True
    else:
        sheets, close_book = workbook_sheets(handle, path, extension, kind, limits)
        unknown_merges = False
    try:
        for sheet in sheets:
            head = _take(sheet.rows, HEADER_SEARCH_ROWS)
            header = find_header(
                [cells for _n, cells in head],
                aliases=aliases,
                required=required,
                numbers=[n for n, _c in head],
                merges=None if unknown_merges else sheet.merges,
            )
            if header is not None:
                block = [cells for n, cells in head if n <= header.row_number]
                return Table(
                    kind=kind,
                    sheet_name=sheet.name,
                    header=_with_labels(header, labels),
                    rows=_after(head, header.row_number, sheet.rows),
                    key_fields=key_fields,
                    close=lambda: (close_book(), close()),
                    block=block,
                )
            searched.extend(cells for _n, cells in head)
    except BaseException:
        close_book()
        raise
    close_book()
    raise _no_header(searched, aliases, required, labels)


def _no_header(
    searched: list[Sequence[Cell]],
    aliases: Mapping[str, Sequence[str]],
    required: Collection[str],
    labels: Mapping[str, str],
) -> SpreadsheetError:
    if not any(not _is_blank(c) for cells in searched for c in cells):
        return SpreadsheetError(_("The file contains no data."))
    missing = _missing_columns(searched, aliases, required)
    names = "、".join(f"“{labels.get(n, (aliases.get(n) or [n])[0])}”" for n in missing)
    _index, found = header_match_count(searched, aliases)
    if found >= 2 and missing:
        # A header row is there; it lacks a required column. Say which, with titles that work.
        examples = "、".join(
            f"“{title}”" for n in missing for title in list(aliases.get(n) or [n])[:3]
        )
        return SpreadsheetError(
            _(
                "The header row has no column for %(names)s, which is required. Add the column "
                "(titled for example %(examples)s) and upload again."
            )
            % {"names": names, "examples": examples}
        )
    return SpreadsheetError(
        _(
            "No header row found in the first %(count)d rows: the columns %(names)s are missing. "
            "Check that the header row names them."
        )
        % {"count": HEADER_SEARCH_ROWS, "names": names}
    )


def _with_labels(header: Header, labels: Mapping[str, str]) -> Header:
    return Header(header.row_number, header.titles, header.columns, dict(labels))


def _take(
    numbered: Iterator[tuple[int, Sequence[Cell]]], count: int
) -> list[tuple[int, Sequence[Cell]]]:
    taken = []
    for item in numbered:
        taken.append(item)
        if len(taken) == count:
            break
    return taken


def _after(
    head: list[tuple[int, Sequence[Cell]]],
    header_row: int,
    rest: Iterator[tuple[int, Sequence[Cell]]],
) -> Iterator[tuple[int, Sequence[Cell]]]:
    # chain() hands the rows on without a Python frame per row.
    return chain((item for item in head if item[0] > header_row), rest)
