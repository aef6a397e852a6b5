"""Spreadsheet exports: streamed, and safe against formula injection.

.xlsx goes through ``core.xlsxwrite`` (the sheet's XML written row by row into the
deflated file, text neutralised on the way: memory stays flat for a million rows); .csv of large
tables on PostgreSQL through ``COPY (SELECT ...) TO STDOUT`` (``copy_csv``), the same
neutralising done in the SELECT (``sql_safe_text``)."""

import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import IO, Any

from django.db import connection, transaction
from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The neutralising rules live with the writer; exported here too, where callers look for them.
from .xlsxwrite import FORMULA_PREFIXES as FORMULA_PREFIXES
from .xlsxwrite import ILLEGAL_CHARACTERS_RE as ILLEGAL_CHARACTERS_RE
from .xlsxwrite import XlsxStreamWriter, neutral_text


def safe_cell(value: Any) -> Any:
    """A text cell that would start a formula gets a leading single quote.

    Excel, WPS and LibreOffice treat a cell starting with = + - @ as a formula
    (CSV/Excel injection); prefixing a single quote keeps the text visible and inert.
    Control characters (pasted from other systems, kept in an imported CSV) are dropped: the
    .xlsx format cannot hold them. Other values pass unchanged."""
    return neutral_text(value) if isinstance(value, str) else value


# PostgreSQL regular expression of ILLEGAL_CHARACTERS_RE (NUL cannot occur in a text value).
_SQL_ILLEGAL = r"[\x01-\x08\x0b\x0c\x0e-\x1f]"


def sql_safe_text(expression: str) -> str:
    """SQL (PostgreSQL) of ``safe_cell`` on a text expression: control characters removed, a
    leading = + - @ tab or carriage return neutralised by a single quote. An empty text
    becomes NULL so that COPY's CSV writes an empty field, as Python's csv module does."""
    # A standard string: the backslash escapes reach the regular expression engine as written.
    cleaned = f"regexp_replace({expression}, '{_SQL_ILLEGAL}', '', 'g')"
    starts = "('=', '+', '-', '@', chr(9), chr(13))"
    return (
        f"NULLIF(CASE WHEN left({cleaned}, 1) IN {starts} "
        f"THEN '''' || {cleaned} ELSE {cleaned} END, '')"
    )


def copy_csv_available() -> bool:
    """Whether ``copy_csv`` can serve (PostgreSQL)."""
    return connection.vendor == "postgresql"


def copy_csv(handle: IO[bytes], sql: str, params: Sequence[Any] | dict = ()) -> int:
    """PostgreSQL: stream ``COPY (sql) TO STDOUT WITH CSV`` into ``handle`` (no header: the
    caller writes it). Returns the number of rows. ``sql`` neutralises its text columns itself
    (``sql_safe_text``)."""
    with connection.cursor() as cursor:
        query = cursor.mogrify(sql, params)
        query = query.decode() if isinstance(query, bytes) else query
        cursor.cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)", handle)
        return cursor.cursor.rowcount


def sql_rows(sql: str, params: Sequence[Any] | dict = (), *, chunk_size: int = 5000) -> Iterator:
    """The rows of ``sql`` as the database driver gives them (tuples), read through a
    server-side cursor ``chunk_size`` at a time: flat memory, and no per-row work in Django. For
    exports whose SELECT already gives the cells (``copy_csv_available`` databases)."""
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(chunk_size):
            yield from chunk


def write_xlsx(
    target: str | IO[bytes],
    *,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    sheet_title: str = "",
) -> int:
    """Write a header and rows (text neutralised as by ``safe_cell``) to an .xlsx at ``target``
    (a path or a binary file). Returns the number of rows below the header."""
    with XlsxStreamWriter(target, sheet_title) as sheet:
        sheet.write_header([str(h) for h in header])
        return sheet.write_rows(rows)


def xlsx_response(
    *, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], sheet_title: str = ""
) -> FileResponse:
    """Write rows to a temporary .xlsx in flat memory and stream it back (the rows are read
    while the view runs, in its transaction, not while the response is sent)."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    write_xlsx(handle, header=header, rows=rows, sheet_title=sheet_title)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# The labels of a yes/no column.
YES_NO = {True: _("Yes"), False: _("No")}


def _path_reader(path: str) -> Callable[[Any], Any]:
    """Read a dotted path from a row; a callable along it is called, ``None`` stops it."""
    parts = path.split(".")
    if len(parts) == 1:
        (name,) = parts

        def read_one(row: Any) -> Any:
            value = getattr(row, name)
            return value() if callable(value) else value

        return read_one

    def read(row: Any) -> Any:
        value = row
        for part in parts:
            if value is None:
                return None
            value = getattr(value, part)
            if callable(value):
                value = value()
        return value

    return read


class ExportColumn:
    """One column of an export: its title and how to read the cell from a row.

    ``accessor`` is a dotted path (``"unit.name"``, ``"get_kind_display"``; a callable at the end
    of the path is called) or a function of the row. ``None`` along the path gives an empty cell.
    ``labels`` (a mapping or choices, ``YES_NO``) turns the value read into its label, the value
    itself when it has none; the labels are translated once per export, not once per row."""

    def __init__(
        self,
        title: Any,
        accessor: str | Callable[[Any], Any],
        *,
        labels: Mapping[Any, Any] | Iterable[tuple[Any, Any]] | None = None,
    ) -> None:
        self.title = title
        self.labels = None if labels is None else dict(labels)
        self._read = accessor if callable(accessor) else _path_reader(accessor)

    def reader(self) -> Callable[[Any], Any]:
        """The cell of a row, for one export (in its language)."""
        read = self._read
        if self.labels is None:
            return read
        texts = {value: str(label) for value, label in self.labels.items()}

        def labelled(row: Any) -> Any:
            value = read(row)
            return texts.get(value, value)

        return labelled


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
        readers = [column.reader() for column in self.columns]
        for row in rows:
            # Lazy translations become plain text for the workbook.
            yield [
                str(value) if isinstance(value, Promise) else value
                for value in [read(row) for read in readers]
            ]

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
