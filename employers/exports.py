"""Spreadsheet exports: streamed, and safe against formula injection."""

import tempfile
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A text cell that would start a formula gets a leading single quote.

    Excel, WPS and LibreOffice treat a cell starting with = + - @ as a formula
    (CSV/Excel injection); prefixing a single quote keeps the text visible and inert.
    Control characters (pasted from other systems, kept in an imported CSV) are dropped: the
    .xlsx format cannot hold them and openpyxl would refuse the whole workbook."""
    if isinstance(value, str):
        if ILLEGAL_CHARACTERS_RE.search(value):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(FORMULA_PREFIXES):
            return "'" + value
    return value


def xlsx_response(
    *, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], sheet_title: str = ""
) -> FileResponse:
    """Write rows to a temporary .xlsx in write-only mode (flat memory) and stream it back."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31] or "Sheet1")
    sheet.append([str(h) for h in header])
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
