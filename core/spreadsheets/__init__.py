"""Reading the spreadsheets streets and towns send in: .xlsx, .xls and .csv.

One reader for every import (employer rosters, case ledgers; .xlsm is read as .xlsx). It knows what real files look like:
title rows above the header, a 序号 column, notes and signature rows below the data, numbers
stored as text or as floats, dates in half a dozen spellings, full-width characters.

Typical use::

    from core import spreadsheets as sheets

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

- Header rows may be two rows (merged titles over sub-titles: 联系人 over 姓名 / 电话 reads as
  联系人姓名 / 联系人电话); a title and header block repeated below the data is skipped
  (``table.skipped_rows``); a required column the header lacks is named in the error.

Limits (``limits``): before any parser allocates, a workbook's declared part sizes, compression
ratio, total size, and each sheet's rows, cells and real used range (the XML scanned in chunks)
are checked against the ``SPREADSHEET_MAX_*`` settings; an .xls's cell records and a CSV's
lines likewise. Over a limit: ``SpreadsheetError`` naming it. Columns past
``SPREADSHEET_MAX_COLUMNS`` are ignored.

Memory: rows are produced one at a time. An ordinary workbook goes to python-calamine, which
holds the sheet's used range in native memory (the fast path); a sheet whose used range is
larger than ``limits.CALAMINE_MAX_RANGE`` cells (a stray cell at XFD1048576, or simply a very
long sheet) is streamed by ``xlsxstream`` instead, a row at a time. CSV files are read line by
line. The package: ``sniff`` (what a file really is), ``limits`` / ``oledoc`` (bounded
reading), ``sources`` (calamine, stream or CSV), ``xlsxstream``, ``header`` (finding the header
row), ``reader`` (the rows), ``cells`` (cell parsers), ``report`` (the rejected-rows workbook).
"""

from .base import (
    ACCEPTED_EXTENSIONS,
    HEADER_SEARCH_ROWS,
    IGNORED_HEADERS,
    Cell,
    CellError,
    SpreadsheetError,
)
from .cells import clean_text, parse_bool, parse_code_text, parse_date, parse_int, parse_phone
from .header import Header, find_header, header_key
from .limits import Limits, check_workbook_zip
from .reader import NOTE_LABELS, Row, Table, _is_note, open_table
from .report import RejectedRowsReport
from .sniff import check_upload, extension_of, sniff_format

__all__ = [
    "ACCEPTED_EXTENSIONS",
    "HEADER_SEARCH_ROWS",
    "IGNORED_HEADERS",
    "NOTE_LABELS",
    "Cell",
    "CellError",
    "Header",
    "Limits",
    "RejectedRowsReport",
    "Row",
    "SpreadsheetError",
    "Table",
    "_is_note",
    "check_upload",
    "check_workbook_zip",
    "clean_text",
    "extension_of",
    "find_header",
    "header_key",
    "open_table",
    "parse_bool",
    "parse_code_text",
    "parse_date",
    "parse_int",
    "parse_phone",
    "sniff_format",
]
