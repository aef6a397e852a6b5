"""Reading the spreadsheets streets and towns send in: .xlsx, .xls and .csv.

One reader for every import (employer rosters, case ledgers). It knows what real files look like:
title rows above the header, a 序号 column, notes and signature rows below the data, numbers
stored as text or as floats, dates in half a dozen spellings, full-width characters.

Typical use::

    from employers import spreadsheets as sheets

    COLUMNS = {
        "credit_code": ["统一社会信用代码", "社会信用代码", "信用代码"],
        "name": ["单位名称", "企业名称"],
        "opened_on": ["立案日期"],
    }

    sheets.check_upload(uploaded_file, name=uploaded_file.name)  # SpreadsheetError if unusable
    with sheets.open_table(path, aliases=COLUMNS, required={"credit_code", "name"}) as table:
        report = sheets.RejectedRowsReport(table.header.titles)
        for row in table:                       # blank rows and signature rows are skipped
            try:
                code = sheets.parse_code_text(row["credit_code"])
                opened_on = sheets.parse_date(row["opened_on"])
            except sheets.CellError as exc:
                report.add(row, f"{table.header.title_of('credit_code')}: {exc}")
        report.save("rejected.xlsx")

- ``open_table`` finds the header row anywhere in the first rows (``HEADER_SEARCH_ROWS``) of the
  first sheet that has one, by matching each header cell against the aliases (full-width/half-
  width, spaces, ``*`` marks and bracketed notes such as ``（人）`` do not matter). Columns that
  match no alias (序号, remarks) are ignored. ``row.number`` is the row number Excel shows.
- Cell parsers turn one raw cell (``str``, ``int``, ``float``, ``date``, ``datetime``, ``bool``;
  ``""`` or ``None`` for empty) into a clean value, or raise ``CellError`` whose text tells the
  user what is wrong; the caller adds the row and the column.
- ``SpreadsheetError`` means the file as a whole cannot be used (empty, encrypted, truncated, not
  a spreadsheet, no header); its text is a sentence for the user.

Memory: rows are produced one at a time. For Excel files python-calamine holds the sheet's cells
in compact native memory while Python objects are made per row; CSV files are read line by line.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import chain
from pathlib import Path
from typing import IO, Any, BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetTypeEnum

from .exports import safe_cell

ACCEPTED_EXTENSIONS = ("xlsx", "xls", "csv")
# How far down the header row may sit (title rows, 填报单位 rows, blank rows above it).
HEADER_SEARCH_ROWS = 20
# Header cells that are never data, whatever the aliases say.
IGNORED_HEADERS = frozenset({"序号", "编号", "no", "no.", "行号"})

_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 1024 * 1024

Cell = Any
Source = str | Path | BinaryIO


class SpreadsheetError(Exception):
    """The file as a whole cannot be used; ``str(exc)`` is a sentence for the user."""


class CellError(ValueError):
    """One cell cannot be understood; ``str(exc)`` says why, for the user."""


# --------------------------------------------------------------------------------------------
# Upload checks and format sniffing
# --------------------------------------------------------------------------------------------


def _size_of(handle: BinaryIO) -> int:
    position = handle.tell()
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(position)
    return size


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _scan_for(handle: BinaryIO, needles: Sequence[bytes]) -> set[bytes]:
    """Which of the byte strings occur anywhere in the file (read in chunks, with overlap)."""
    found: set[bytes] = set()
    overlap = max(len(n) for n in needles)
    handle.seek(0)
    tail = b""
    while True:
        chunk = handle.read(_CHUNK)
        if not chunk:
            break
        window = tail + chunk
        found.update(n for n in needles if n in window)
        tail = window[-overlap:]
    handle.seek(0)
    return found


def _sniff_zip(handle: BinaryIO) -> str:
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise SpreadsheetError(
            _(
                "The file is damaged or incomplete (perhaps the upload was interrupted). "
                "Open it in Excel, save it again and upload the new copy."
            )
        ) from exc
    finally:
        handle.seek(0)
    if "[Content_Types].xml" not in names:
        raise SpreadsheetError(_("The file is a ZIP archive, not an Excel workbook."))
    if not any(name.startswith("xl/") for name in names):
        raise SpreadsheetError(
            _("The file is an Office document but not an Excel workbook (Word or PowerPoint?).")
        )
    return "xlsx"


def _sniff_ole2(handle: BinaryIO) -> str:
    # Excel encrypts a password-protected .xlsx into an OLE2 container holding an
    # EncryptionInfo stream; an old .xls keeps its sheets in a "Workbook" (or "Book") stream.
    found = _scan_for(handle, [_utf16("EncryptionInfo"), _utf16("Workbook"), _utf16("Book\x00")])
    if _utf16("EncryptionInfo") in found:
        raise SpreadsheetError(
            _(
                "The workbook is protected by a password. Remove the password in Excel "
                "(File > Info > Protect Workbook), save and upload again."
            )
        )
    if found & {_utf16("Workbook"), _utf16("Book\x00")}:
        return "xls"
    raise SpreadsheetError(
        _("The file is an old Office document but not an Excel workbook (Word or PowerPoint?).")
    )


def _sniff_text(handle: BinaryIO) -> str:
    head = handle.read(64 * 1024)
    handle.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "csv"
    if b"\x00" in head:
        raise SpreadsheetError(
            _("The file is not a spreadsheet. Upload an .xlsx, .xls or .csv file.")
        )
    text = _decode_head(head)
    if text is None:
        raise SpreadsheetError(
            _("The file is not readable text in UTF-8 or GB18030. Save it from Excel as .xlsx.")
        )
    if text.lstrip("\ufeff \r\n\t").startswith("<"):
        raise SpreadsheetError(
            _(
                "The file is a web page (HTML or XML) saved with a spreadsheet name. "
                "Open it in Excel and save it as an Excel workbook (.xlsx)."
            )
        )
    if text.startswith("%PDF"):
        raise SpreadsheetError(_("The file is a PDF, not a spreadsheet."))
    return "csv"


def _decode_head(head: bytes) -> str | None:
    """The first bytes as text, if UTF-8 or GB18030; a character cut at the end is fine."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            return decoder.decode(head, final=False)
        except UnicodeDecodeError:
            continue
    return None


def sniff_format(handle: BinaryIO) -> str:
    """ "xlsx", "xls" or "csv", judged by the content (not the name); SpreadsheetError if the
    content is empty, damaged, password-protected or not a spreadsheet at all."""
    handle.seek(0)
    magic = handle.read(8)
    handle.seek(0)
    if not magic:
        raise SpreadsheetError(_("The file is empty."))
    if magic.startswith(_ZIP_MAGIC):
        return _sniff_zip(handle)
    if magic.startswith(_EMPTY_ZIP_MAGIC):
        raise SpreadsheetError(_("The file is an empty ZIP archive, not an Excel workbook."))
    if magic.startswith(_OLE2_MAGIC):
        return _sniff_ole2(handle)
    if magic.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise SpreadsheetError(_("The file is a picture, not a spreadsheet."))
    return _sniff_text(handle)


def extension_of(name: str) -> str:
    return Path(name).suffix.lower().lstrip(".")


def check_upload(handle: BinaryIO, *, name: str, max_bytes: int | None = None) -> str:
    """Refuse a file users should not have sent, with the reason in their language.

    Checks the extension, the size (``settings.SPREADSHEET_MAX_UPLOAD_BYTES`` unless given)
    and the content. Returns the format ("xlsx", "xls" or "csv"). A workbook whose extension
    names the other Excel format is accepted (users rename files); a workbook named .csv or a
    text file named .xlsx is refused."""
    extension = extension_of(name)
    if extension not in ACCEPTED_EXTENSIONS:
        raise SpreadsheetError(
            _("%(name)s is not a spreadsheet: upload an .xlsx, .xls or .csv file.") % {"name": name}
        )
    limit = settings.SPREADSHEET_MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    size = _size_of(handle)
    if size == 0:
        raise SpreadsheetError(_("The file is empty."))
    if size > limit:
        raise SpreadsheetError(
            _("The file is %(size).1f MB; the limit is %(limit).1f MB. Split it into parts.")
            % {"size": size / 1024 / 1024, "limit": limit / 1024 / 1024}
        )
    kind = sniff_format(handle)
    if (kind == "csv") != (extension == "csv"):
        if kind == "csv":
            raise SpreadsheetError(
                _(
                    "%(name)s is named like an Excel workbook but contains plain text. "
                    "Rename it to .csv, or save it from Excel as .xlsx."
                )
                % {"name": name}
            )
        raise SpreadsheetError(
            _("%(name)s is an Excel workbook named .csv. Rename it to .xlsx and upload again.")
            % {"name": name}
        )
    return kind


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


class Table:
    """An opened spreadsheet positioned after its header row; iterate it for data rows.

    Entirely blank rows are skipped; so are notes, signature and totals rows (the first filled
    cell is 填表人, 审核人, 合计, 备注 ... alone or followed by a colon; or, when none of the
    ``key_fields`` is filled, every filled cell is a "label：value"). ``skipped_notes`` counts
    the latter."""

    def __init__(
        self,
        *,
        kind: str,
        sheet_name: str,
        header: Header,
        rows: Iterator[tuple[int, Sequence[Cell]]],
        key_fields: Collection[str],
        close: Callable[[], None],
    ) -> None:
        self.kind = kind
        self.sheet_name = sheet_name
        self.header = header
        self._rows = rows
        self._key_fields = [name for name in key_fields if name in header.columns]
        self._close = close
        self.skipped_notes = 0

    def __iter__(self) -> Iterator[Row]:
        header = self.header
        key_fields = self._key_fields
        for number, cells in self._rows:
            first = _first_filled(cells)
            if first is _NO_CELL:
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


def _open_workbook(
    handle: BinaryIO, path: Path | None, extension: str, kind: str
) -> CalamineWorkbook:
    try:
        if path is not None and extension == kind:
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
        raise SpreadsheetError(
            _("The workbook cannot be read: it is damaged or incomplete (%(reason)s).")
            % {"reason": str(exc)[:200]}
        ) from exc
    return workbook


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


def _csv_rows(handle: BinaryIO) -> tuple[IO[str], Iterator[list[str]]]:
    encoding = _csv_encoding(handle)
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    sample = text.read(16 * 1024)
    text.seek(0)
    # Excel writes commas ("CSV") or tabs ("Unicode text"); csv.Sniffer guesses wrong on
    # short rows, so take the separator that occurs most often.
    delimiter = max(",\t;", key=sample.count)
    return text, csv.reader(text, delimiter=delimiter if sample.count(delimiter) else ",")


def open_table(
    source: Source,
    *,
    aliases: Mapping[str, Sequence[str]],
    required: Collection[str],
    key_fields: Collection[str] | None = None,
    labels: Mapping[str, str] | None = None,
    name: str | None = None,
) -> Table:
    """Open a spreadsheet and position it after its header row.

    ``source`` is a path or a seekable binary file (``name`` then gives the extension).
    ``aliases`` maps each field to the header titles that mean it; ``required`` fields must
    all be named by the header row; ``key_fields`` (default: ``required``) tell data rows from
    signature rows; ``labels`` name fields for messages when the file lacks their column.
    Raises SpreadsheetError when the file cannot be read or has no such header row."""
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
) -> Table:
    searched: list[Sequence[Cell]] = []
    if kind == "csv":
        text, reader = _csv_rows(handle)
        numbered: Iterator[tuple[int, Sequence[Cell]]] = enumerate(_decoded(reader), start=1)
        head = _take(numbered, HEADER_SEARCH_ROWS)
        header = find_header([cells for _n, cells in head], aliases=aliases, required=required)
        if header is not None:
            return Table(
                kind=kind,
                sheet_name="",
                header=_with_labels(header, labels),
                rows=_after(head, header.row_number, numbered),
                key_fields=key_fields,
                close=lambda: (text.detach(), close()),
            )
        searched.extend(cells for _n, cells in head)
    else:
        workbook = _open_workbook(handle, path, extension, kind)
        try:
            for index, meta in enumerate(workbook.sheets_metadata):
                if meta.typ != SheetTypeEnum.WorkSheet:
                    continue
                sheet = workbook.get_sheet_by_index(index)
                # iter_rows pads the empty rows above the used range, so positions are the
                # row numbers Excel shows.
                numbered = enumerate(sheet.iter_rows(), start=1)
                head = _take(numbered, HEADER_SEARCH_ROWS)
                header = find_header(
                    [cells for _n, cells in head], aliases=aliases, required=required
                )
                if header is not None:
                    return Table(
                        kind=kind,
                        sheet_name=meta.name,
                        header=_with_labels(header, labels),
                        rows=_after(head, header.row_number, numbered),
                        key_fields=key_fields,
                        close=lambda wb=workbook: (wb.close(), close()),
                    )
                searched.extend(cells for _n, cells in head)
        except CalamineError as exc:
            workbook.close()
            raise SpreadsheetError(
                _("The workbook cannot be read: it is damaged or incomplete (%(reason)s).")
                % {"reason": str(exc)[:200]}
            ) from exc
        workbook.close()
    if not any(not _is_blank(c) for cells in searched for c in cells):
        raise SpreadsheetError(_("The file contains no data."))
    missing = _missing_columns(searched, aliases, required)
    names = "、".join(f"“{labels.get(n, (aliases.get(n) or [n])[0])}”" for n in missing)
    raise SpreadsheetError(
        _(
            "No header row found in the first %(count)d rows: the columns %(names)s are missing. "
            "Check that the header row names them."
        )
        % {"count": HEADER_SEARCH_ROWS, "names": names}
    )


def _with_labels(header: Header, labels: Mapping[str, str]) -> Header:
    return Header(header.row_number, header.titles, header.columns, dict(labels))


def _decoded(reader: Iterator[list[str]]) -> Iterator[list[str]]:
    try:
        yield from reader
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(
            _("The file is not readable text in UTF-8 or GB18030. Save it from Excel as .xlsx.")
        ) from exc
    except csv.Error as exc:
        raise SpreadsheetError(
            _("The CSV file is malformed (%(reason)s).") % {"reason": str(exc)}
        ) from exc


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
    return clean_text(value)


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


# --------------------------------------------------------------------------------------------
# Report of rejected rows
# --------------------------------------------------------------------------------------------


class RejectedRowsReport:
    """A write-only .xlsx of the rejected rows, ready to fix and upload again: the header row
    as the file had it, then an error column and the row number in the original file.

    Cells are written as read (dates stay dates, codes stay text) and made formula-safe."""

    def __init__(self, titles: Sequence[str]) -> None:
        self.titles = list(titles)
        self.count = 0
        self._saved: IO[bytes] | None = None
        self._workbook = Workbook(write_only=True)
        self._sheet = self._workbook.create_sheet(title=_("Rejected rows")[:31])
        width = len(self.titles)
        for index in range(width + 2):
            letter = _column_letter(index)
            self._sheet.column_dimensions[letter].width = 40 if index == width else 16
        self._sheet.freeze_panes = "A2"
        self._sheet.append([*self.titles, _("Error"), _("Row in original file")])

    def add(self, row: Row, error: str) -> None:
        cells = list(row.cells[: len(self.titles)])
        cells += [""] * (len(self.titles) - len(cells))
        self._sheet.append([*(safe_cell(c) for c in cells), safe_cell(error), row.number])
        self.count += 1

    def finish(self) -> None:
        """Stop adding rows and write the workbook (once) to an anonymous temporary file;
        ``save`` copies it from there, as often as needed."""
        if self._saved is None:
            # A write-only workbook can be saved only once: keep the bytes for later copies.
            self._saved = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the report
            self._workbook.save(self._saved)

    def save(self, target: str | Path | BinaryIO) -> None:
        """Write the .xlsx to a path or binary file; may be called more than once."""
        self.finish()
        assert self._saved is not None
        self._saved.seek(0)
        if isinstance(target, str | Path):
            with Path(target).open("wb") as out:
                shutil.copyfileobj(self._saved, out)
        else:
            shutil.copyfileobj(self._saved, target)

    def close(self) -> None:
        if self._saved is not None:
            self._saved.close()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
