"""Writing one-sheet .xlsx files fast and in flat memory.

The worksheet's XML is written as it is made, a row at a time, into a deflated zip entry: no
shared-string table (text cells are inline strings), no temporary copy of the sheet, no cell
objects. Each row is one string built from the cells' f-strings; a few hundred rows at a time
go to the zip entry. LibreOffice, openpyxl and python-calamine read the result (the parts
are written in the order and form of the OOXML standard that Excel and WPS read).

Cells by type: text as an inline string (truncated to Excel's 32,767 characters), ``bool`` as a
boolean, ``int``/``float``/``Decimal`` as a number, ``date`` and ``datetime`` as serial numbers
with a date or date-time format (an aware datetime in the current time zone, then without its
zone; a day before 1900 as ISO text, which Excel cannot show as a date), ``None`` and ``""`` as
no cell, anything else as its text.

Text is neutralised on the way (``neutral_text``): the control characters the format cannot
hold are removed, and a value that would start a formula (= + - @ tab, carriage return) gets a
leading single quote, so the cell stays visible and inert (CSV/Excel injection). The header row
is written as given."""

from __future__ import annotations

import datetime
import decimal
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO, Any

from django.utils import timezone

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# The control characters the .xlsx format cannot hold (the same set as openpyxl's).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
MAX_ROWS = 1_048_576  # Excel's, the header included
MAX_TEXT = 32_767  # characters in one cell

# A row whose text needs more than the plain f-string holds one of these: a character to
# remove or to escape, or an underscore (the format's own escapes look like _x000D_). Searched
# once per row, on its texts joined by a line feed (which needs nothing).
_SPECIAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f&<>\r_\ud800-\udfff\ufffe\uffff]")
# What XML cannot hold beyond the control characters: surrogates (no UTF-8 either) and two
# non-characters; removed from any cell, the header too.
_XML_ILLEGAL = re.compile("[\ud800-\udfff\ufffe\uffff]")
_FORMAT_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_PREFIX_CHARS = "".join(FORMULA_PREFIXES)
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_EPOCH = datetime.date(1899, 12, 30).toordinal()
_MARCH_1900 = datetime.date(1900, 3, 1).toordinal()
_FIRST_FAST_DAY = _MARCH_1900 - _EPOCH  # the serial of every later day is its plain count
_ROWS_PER_WRITE = 500

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_XF = 'fontId="0" fillId="0" borderId="0" xfId="0"'
# Style 0: general; 1: a day; 2: a moment.
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{_MAIN}">'
    f'<numFmts count="2"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/>'
    f'<numFmt numFmtId="165" formatCode="{DATETIME_FORMAT}"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    f'<cellXfs count="3"><xf numFmtId="0" {_XF}/>'
    f'<xf numFmtId="164" {_XF} applyNumberFormat="1"/>'
    f'<xf numFmtId="165" {_XF} applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
    '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
    '<sheetFormatPr defaultRowHeight="15"/><sheetData>'
)
_SHEET_END = "</sheetData></worksheet>"
# Characters a sheet name may not hold.
_SHEET_NAME_ILLEGAL = re.compile(r"[\[\]:*?/\\]")


def neutral_text(value: str) -> str:
    """``value`` as the cell should hold it: without the control characters the format cannot
    hold, and with a leading single quote when it would start a formula."""
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _text_cell(ref: str, value: str, *, neutralise: bool = True) -> str:
    """An inline-string cell, every case handled (``neutralise`` as ``neutral_text``); the
    rows' fast path in ``XlsxStreamWriter.write_rows`` gives the same for plain text."""
    value = _XML_ILLEGAL.sub("", value)
    value = neutral_text(value) if neutralise else ILLEGAL_CHARACTERS_RE.sub("", value)
    value = _FORMAT_ESCAPE.sub(r"_x005F_\1", value[:MAX_TEXT]).translate(_XML_ESCAPES)
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'


def _day_serial(day: datetime.date) -> int | None:
    """Excel's serial number of a day (1900 date system, its 29 February 1900 included)."""
    ordinal = day.toordinal()
    if ordinal >= _MARCH_1900:
        return ordinal - _EPOCH
    if day.year >= 1900:
        return ordinal - _EPOCH - 1
    return None


def _cell(ref: str, value: Any) -> str:
    """The XML of one cell, "" for none."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return _text_cell(ref, str(value))
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{int(value)}</v></c>'
    if isinstance(value, float | decimal.Decimal):
        finite = value.is_finite() if isinstance(value, decimal.Decimal) else math.isfinite(value)
        if finite:
            return f'<c r="{ref}"><v>{value}</v></c>'
        return _text_cell(ref, str(value))
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        serial = _day_serial(value.date())
        if serial is None:
            return _text_cell(ref, value.isoformat(sep=" "))
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        return f'<c r="{ref}" s="2"><v>{serial + seconds / 86400!r}</v></c>'
    if isinstance(value, datetime.date):
        serial = _day_serial(value)
        if serial is None:
            return _text_cell(ref, value.isoformat())
        return f'<c r="{ref}" s="1"><v>{serial}</v></c>'
    return _text_cell(ref, str(value))


def column_letters(index: int) -> str:
    """A, B, ... Z, AA, ... for a 0-based column index."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_name(title: str) -> str:
    """A title Excel accepts as a sheet name: at most 31 characters, none of []:*?/\\."""
    name = _SHEET_NAME_ILLEGAL.sub("_", ILLEGAL_CHARACTERS_RE.sub("", title)).strip("'")[:31]
    return name or "Sheet1"


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


class XlsxStreamWriter:
    """One worksheet written row by row into an .xlsx at ``target`` (a path or a binary file,
    which need not be seekable)::

        with XlsxStreamWriter(handle, "Ratings") as sheet:
            sheet.write_header(["Code", "Name"])
            count = sheet.write_rows(rows)
    """

    def __init__(self, target: str | IO[bytes], sheet_title: str = "", *, level: int = 1) -> None:
        self._zip = zipfile.ZipFile(
            target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level
        )
        self._zip.writestr("[Content_Types].xml", _CONTENT_TYPES)
        self._zip.writestr("_rels/.rels", _ROOT_RELS)
        self._zip.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
            f'<sheets><sheet name="{_escape(sheet_name(sheet_title))}" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>",
        )
        self._zip.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        self._zip.writestr("xl/styles.xml", _STYLES)
        self._sheet = self._zip.open("xl/worksheets/sheet1.xml", "w")
        self._sheet.write(_SHEET_START.encode())
        self._letters: list[str] = []
        self.rows_written = 0

    def _refs(self, width: int) -> list[str]:
        while len(self._letters) < width:
            self._letters.append(column_letters(len(self._letters)))
        return self._letters

    def write_header(self, titles: Sequence[Any]) -> None:
        """One row of text written as given (not neutralised: the titles are the export's)."""
        number = self.rows_written + 1
        cells = "".join(
            _text_cell(f"{letter}{number}", str(title), neutralise=False)
            for letter, title in zip(self._refs(len(titles)), titles, strict=False)
            if title is not None and str(title)
        )
        self._sheet.write(f'<row r="{number}">{cells}</row>'.encode())
        self.rows_written = number

    def write_rows(self, rows: Iterable[Sequence[Any]]) -> int:
        """Write the rows (text neutralised); returns how many.

        The fast path writes plain text, whole numbers, days and empty cells inline; a row whose
        text has anything to remove or escape, or a cell too long, is made again cell by cell
        by ``_cell``, as is every other type of value."""
        number = start = self.rows_written
        batch: list[str] = []
        letters, width = self._letters, len(self._letters)
        prefixes, special, cell, day = _PREFIX_CHARS, _SPECIAL.search, _cell, datetime.date
        for row in rows:
            number += 1
            if number > MAX_ROWS:
                raise ValueError(f"an .xlsx sheet holds at most {MAX_ROWS:,} rows")
            if len(row) > width:
                letters = self._refs(len(row))
                width = len(letters)
            cells, texts = [], []
            for letter, value in zip(letters, row, strict=False):
                kind = type(value)
                if kind is str:
                    if value:
                        texts.append(value)
                        if value[0] in prefixes:
                            value = "'" + value
                        cells.append(
                            f'<c r="{letter}{number}" t="inlineStr">'
                            f'<is><t xml:space="preserve">{value}</t></is></c>'
                        )
                elif kind is int:
                    cells.append(f'<c r="{letter}{number}"><v>{value}</v></c>')
                elif kind is day and (serial := value.toordinal() - _EPOCH) >= _FIRST_FAST_DAY:
                    cells.append(f'<c r="{letter}{number}" s="1"><v>{serial}</v></c>')
                elif value is not None:
                    cells.append(cell(f"{letter}{number}", value))
            if texts:
                joined = "\n".join(texts)
                if len(joined) > MAX_TEXT or special(joined):
                    cells = [cell(f"{x}{number}", v) for x, v in zip(letters, row, strict=False)]
            batch.append(f'<row r="{number}">{"".join(cells)}</row>')
            if len(batch) >= _ROWS_PER_WRITE:
                self._sheet.write("".join(batch).encode())
                batch.clear()
        if batch:
            self._sheet.write("".join(batch).encode())
        self.rows_written = number
        return number - start

    def close(self) -> None:
        self._sheet.write(_SHEET_END.encode())
        self._sheet.close()
        self._zip.close()

    def __enter__(self) -> XlsxStreamWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
