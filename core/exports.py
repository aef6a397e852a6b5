"""Spreadsheet exports: streamed, and safe against formula injection."""

import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import Promise
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


class ExportColumn:
    """One column of an export: its title and how to read the cell from a row.

    ``accessor`` is a dotted path (``"unit.name"``, ``"get_kind_display"``; a callable at the end
    of the path is called) or a function of the row. ``None`` along the path gives an empty cell."""

    def __init__(self, title: Any, accessor: str | Callable[[Any], Any]) -> None:
        self.title = title
        if callable(accessor):
            self._read = accessor
        else:
            parts = accessor.split(".")

            def read(row: Any) -> Any:
                value = row
                for part in parts:
                    if value is None:
                        return None
                    value = getattr(value, part)
                    if callable(value):
                        value = value()
                return value

            self._read = read

    def value(self, row: Any) -> Any:
        value = self._read(row)
        # Lazy translations and choice labels become plain text for the workbook.
        return str(value) if isinstance(value, Promise) else value


class SheetExport:
    """An .xlsx export declared as a list of columns; the view hands it the scoped queryset.

    ::

        class EmployerExport(SheetExport):
            filename = "employers"
            sheet_title = _("Employers")
            columns = [ExportColumn(_("Name"), "name"), ExportColumn(_("Area unit"), "unit.name")]

        return EmployerExport().response(queryset)

    Rows are read with ``iterator()`` (flat memory; the queryset's ``select_related`` must
    cover every path the columns follow, or each row costs a query)."""

    filename: str = "export"
    sheet_title: Any = ""
    columns: Sequence[ExportColumn] = ()
    chunk_size = 2000

    def header(self) -> list[str]:
        return [str(column.title) for column in self.columns]

    def rows(self, queryset: Iterable[Any]) -> Iterator[list[Any]]:
        rows = (
            queryset.iterator(chunk_size=self.chunk_size)
            if hasattr(queryset, "iterator")
            else queryset
        )
        for row in rows:
            yield [column.value(row) for column in self.columns]

    def response(
        self, queryset: Iterable[Any], *, stamp: datetime.date | None = None
    ) -> FileResponse:
        stamp = stamp or timezone.localdate()
        return xlsx_response(
            filename=f"{self.filename}-{stamp:%Y%m%d}.xlsx",
            header=self.header(),
            rows=self.rows(queryset),
            sheet_title=str(self.sheet_title),
        )
