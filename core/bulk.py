"""Bulk writes through PostgreSQL's COPY: one helper for every writer that inserts many rows
(the imports, the benchmark seeder). Several times faster than INSERT statements built by the
ORM, in the caller's transaction.

``copy_rows`` sends rows at once; ``BackgroundCopy`` sends them from a helper thread on the same
connection, so the caller can prepare the next chunk while PostgreSQL ingests this one. Both
need psycopg2's ``copy_expert`` (``copy_supported``); callers fall back to the ORM elsewhere.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

# Bytes handed to the driver per read of a COPY buffer (its default is 8 kB).
COPY_READ_SIZE = 256 * 1024


def copy_supported(connection: BaseDatabaseWrapper) -> bool:
    """Whether this connection can COPY: PostgreSQL through psycopg2."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        return hasattr(cursor.cursor, "copy_expert")


def copy_statement(
    connection: BaseDatabaseWrapper,
    table: str,
    columns: Sequence[str],
    *,
    not_null: Sequence[str] = (),
) -> str:
    """COPY in CSV format: an empty field is NULL, except in the ``not_null`` columns, where
    it is an empty string."""
    q = connection.ops.quote_name
    options = "FORMAT csv"
    if not_null:
        options += f", FORCE_NOT_NULL ({', '.join(map(q, not_null))})"
    return f"COPY {q(table)} ({', '.join(map(q, columns))}) FROM STDIN WITH ({options})"


def csv_buffer(rows: Iterable[Sequence[Any]]) -> io.StringIO:
    """Rows as CSV, written by Python's csv module (in C). None becomes an empty field;
    dates, aware datetimes and numbers are written as PostgreSQL reads them back."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    buffer.seek(0)
    return buffer


def copy_rows(
    connection: BaseDatabaseWrapper,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    not_null: Sequence[str] = (),
) -> None:
    """Copy ``rows`` (values in ``columns`` order) into ``table`` and wait for it."""
    statement = copy_statement(connection, table, columns, not_null=not_null)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(statement, csv_buffer(rows), size=COPY_READ_SIZE)


def next_ids(connection: BaseDatabaseWrapper, table: str, count: int) -> list[int]:
    """``count`` ids drawn from the table's id sequence (rows copied with them keep the
    sequence ahead of the data)."""
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def text_columns(model: type[models.Model]) -> list[str]:
    """The model's non-null text columns: an empty value there is an empty string, not NULL."""
    return [f.column for f in model._meta.concrete_fields if not f.null and f.empty_strings_allowed]


def value_formatters(model: type[models.Model]) -> list[Callable[[Any], Any] | None]:
    """Per concrete field, how a Python value becomes a CSV field that PostgreSQL reads back
    (None: as it is). JSON is the one type whose ``str`` is not its database spelling."""
    formatters: list[Callable[[Any], Any] | None] = []
    for field in model._meta.concrete_fields:
        if field.get_internal_type() == "JSONField":
            formatters.append(lambda value: None if value is None else json.dumps(value))
        else:
            formatters.append(None)
    return formatters


def copy_objects(connection: BaseDatabaseWrapper, objects: Sequence[models.Model]) -> None:
    """Insert unsaved model instances with COPY, ids drawn from the sequence and set on them.
    No signals, no ``save``: what ``bulk_create`` would do, faster."""
    if not objects:
        return
    model = type(objects[0])
    meta = model._meta
    fields = list(meta.concrete_fields)
    formatters = value_formatters(model)
    for obj, pk in zip(objects, next_ids(connection, meta.db_table, len(objects)), strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objects:
                if getattr(obj, field.attname) is None:
                    setattr(obj, field.attname, field.pre_save(obj, add=True))

    def row(obj: models.Model) -> list[Any]:
        values = []
        for field, formatter in zip(fields, formatters, strict=True):
            value = getattr(obj, field.attname)
            values.append(value if formatter is None else formatter(value))
        return values

    copy_rows(
        connection,
        meta.db_table,
        [f.column for f in fields],
        map(row, objects),
        not_null=text_columns(model),
    )


class BackgroundCopy:
    """COPY statements sent from a helper thread on the caller's own connection (so in its
    transaction) while the caller prepares the next chunk. Only one statement is ever in
    flight: every other use of the connection first ``wait``s for it, and its error is raised
    there, as Django's DatabaseError."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self._raw_cursor: Any = None
        self._pending: threading.Thread | None = None
        self._failure: BaseException | None = None

    def send(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        not_null: Sequence[str] = (),
    ) -> None:
        """Start copying ``rows`` into ``table``; returns at once (see ``wait``)."""
        self.wait()
        statement = copy_statement(self.connection, table, columns, not_null=not_null)
        buffer = csv_buffer(rows)
        if self._raw_cursor is None:
            # The driver's own cursor on the same connection: Django's connection object
            # belongs to this thread and must not be used from the helper.
            self.connection.ensure_connection()
            self._raw_cursor = self.connection.connection.cursor()
        cursor = self._raw_cursor

        def copy() -> None:
            try:
                cursor.copy_expert(statement, buffer, size=COPY_READ_SIZE)
            except BaseException as exc:  # handed to the caller's thread by wait()
                self._failure = exc

        self._pending = threading.Thread(target=copy, name="bulk-copy", daemon=True)
        self._pending.start()

    def wait(self) -> None:
        """Block until the COPY in flight has finished; raise its error as Django's."""
        if self._pending is not None:
            self._pending.join()
            self._pending = None
        if self._failure is not None:
            failure, self._failure = self._failure, None
            with self.connection.wrap_database_errors:
                raise failure

    def close(self) -> None:
        """Let a COPY still in flight end (after a failure elsewhere, before the rollback)."""
        if self._pending is not None:
            self._pending.join()
            self._pending = None
        self._failure = None
        if self._raw_cursor is not None:
            self._raw_cursor.close()
            self._raw_cursor = None
