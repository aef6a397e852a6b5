"""Where rows come from: python-calamine for ordinary workbooks (its fast path), the streaming
reader for sparse ones, the csv module for text; each after the file's limits were checked."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, BinaryIO

from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetTypeEnum

from .base import _CHUNK, Cell, SpreadsheetError
from .limits import Limits, check_workbook_zip, count_csv_lines
from .oledoc import check_xls
from .xlsxstream import StreamedWorkbook

Numbered = Iterator[tuple[int, Sequence[Cell]]]


@dataclass
class SheetRows:
    """One sheet as numbered rows (Excel's row numbers), with its merged ranges (0-based
    first row, first column, last row, last column, in the rows' own column positions)."""

    name: str
    rows: Numbered
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


def _damaged(exc: BaseException) -> SpreadsheetError:
    return SpreadsheetError(
        _("The workbook cannot be read: it is damaged or incomplete (%(reason)s).")
        % {"reason": str(exc)[:200]}
    )


def _open_calamine(
    handle: BinaryIO, path: Path | None, extension: str, kind: str
) -> CalamineWorkbook:
    try:
        if path is not None and (extension == kind or (kind, extension) == ("xlsx", "xlsm")):
            workbook = CalamineWorkbook.from_path(str(path))
        else:
            # Content and name disagree (a renamed file): let calamine sniff the bytes.
            workbook = CalamineWorkbook.from_filelike(handle)
    except PasswordError as exc:
        raise SpreadsheetError(
            _(
                "The workbook is protected by a password. Remove the password in Excel, "
                "save and upload again."
            )
        ) from exc
    except (CalamineError, OSError, ValueError) as exc:
        raise _damaged(exc) from exc
    return workbook


def _cut(rows: Numbered, width: int) -> Numbered:
    for number, cells in rows:
        yield number, cells[:width]


def workbook_sheets(
    handle: BinaryIO, path: Path | None, extension: str, kind: str, limits: Limits
) -> tuple[Iterator[SheetRows], Callable[[], None]]:
    """The worksheets of an .xlsx/.xlsm/.xls in order, and how to close the workbook."""
    if kind == "xlsx":
        extents = check_workbook_zip(handle, limits)
        if any(extent.sparse for extent in extents):
            merges = {extent.member: extent.merges for extent in extents}
            return _streamed_sheets(handle, limits, merges)
    else:
        check_xls(handle, limits)
    workbook = _open_calamine(handle, path, extension, kind)
    return _calamine_sheets(workbook, limits), workbook.close


def _calamine_sheets(workbook: CalamineWorkbook, limits: Limits) -> Iterator[SheetRows]:
    try:
        for index, meta in enumerate(workbook.sheets_metadata):
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            sheet = workbook.get_sheet_by_index(index)
            # iter_rows pads the empty rows above the used range (positions are the row
            # numbers Excel shows) but not the columns left of it.
            rows: Numbered = enumerate(sheet.iter_rows(), start=1)
            if sheet.width > limits.columns:
                rows = _cut(rows, limits.columns)
            left = sheet.start[1] if sheet.start else 0
            merges = [
                (r1, c1 - left, r2, c2 - left)
                for (r1, c1), (r2, c2) in (sheet.merged_cell_ranges or [])[:10_000]
            ]
            yield SheetRows(meta.name, _guarded(rows), merges)
    except CalamineError as exc:
        raise _damaged(exc) from exc


def _guarded(rows: Numbered) -> Numbered:
    try:
        yield from rows
    except CalamineError as exc:
        raise _damaged(exc) from exc


def _streamed_sheets(
    handle: BinaryIO, limits: Limits, merges: dict[str, list[tuple[int, int, int, int]]]
) -> tuple[Iterator[SheetRows], Callable[[], None]]:
    try:
        workbook = StreamedWorkbook(handle)
    except (KeyError, ValueError, SyntaxError, OSError) as exc:
        raise _damaged(exc) from exc

    def sheets() -> Iterator[SheetRows]:
        for name, member in workbook.sheets:
            rows = workbook.rows(member, max_columns=limits.columns)
            yield SheetRows(name, _parse_errors(rows), merges.get(member, []))

    return sheets(), workbook.close


def _parse_errors(rows: Numbered) -> Numbered:
    try:
        yield from rows
    except (SyntaxError, ValueError, KeyError) as exc:  # ParseError is a SyntaxError
        raise _damaged(exc) from exc


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------


def _csv_encoding(handle: BinaryIO) -> str:
    """UTF-8 (with or without BOM) if every byte decodes as such, else GB18030 (what Excel
    writes on a Chinese Windows machine); UTF-16 when it carries a BOM ("Unicode text")."""
    handle.seek(0)
    head = handle.read(4)
    handle.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            handle.seek(0)
        return encoding
    raise SpreadsheetError(
        _("The file is not readable text in UTF-8 or GB18030. Save it from Excel as .xlsx.")
    )


def csv_rows(handle: BinaryIO, limits: Limits) -> tuple[IO[str], Numbered]:
    """The text wrapper (detach it when done) and the numbered rows, cut at the column
    limit; the lines were counted against the row limit first."""
    count_csv_lines(handle, limits)
    encoding = _csv_encoding(handle)
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    sample = text.read(16 * 1024)
    text.seek(0)
    # Excel writes commas ("CSV") or tabs ("Unicode text"); csv.Sniffer guesses wrong on
    # short rows, so take the separator that occurs most often.
    delimiter = max(",\t;", key=sample.count)
    reader = csv.reader(text, delimiter=delimiter if sample.count(delimiter) else ",")
    return text, _decoded(reader, limits.columns)


def _decoded(reader: Iterator[list[str]], width: int) -> Numbered:
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells if len(cells) <= width else cells[:width]
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(
            _("The file is not readable text in UTF-8 or GB18030. Save it from Excel as .xlsx.")
        ) from exc
    except csv.Error as exc:
        raise SpreadsheetError(
            _("The CSV file is malformed (%(reason)s).") % {"reason": str(exc)}
        ) from exc
