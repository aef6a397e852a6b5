"""Writing the benchmark's rows: COPY on PostgreSQL (through core.bulk) with explicit ids,
``bulk_create`` elsewhere, and the indexes rebuilt after a large load."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

from core import bulk

BATCH_ROWS = 50_000


@dataclass(frozen=True)
class _Column:
    attname: str
    name: str
    default: Any  # used when a generator leaves the field out


def _table_columns(model: type[models.Model]) -> list[_Column]:
    """Every concrete column with its default, so the seed keeps working while other apps add
    fields (with defaults) to their models."""
    now = timezone.now()
    columns = []
    for fld in model._meta.concrete_fields:
        if getattr(fld, "auto_now", False) or getattr(fld, "auto_now_add", False):
            default = now
        else:
            default = fld.get_default()
        columns.append(_Column(fld.attname, fld.column, default))
    return columns


def write_rows(model: type[models.Model], rows: Iterable[dict]) -> int:
    """Insert generated rows (with explicit ids); returns the count."""
    columns = _table_columns(model)
    total = 0
    if bulk.copy_supported(connection):
        # core.bulk's COPY (CSV): JSON is the one type whose str() PostgreSQL does not read.
        table = model._meta.db_table
        names = [c.name for c in columns]
        not_null = bulk.text_columns(model)
        formatters = bulk.value_formatters(model)

        def values(row: dict) -> list:
            out = []
            for c, formatter in zip(columns, formatters, strict=True):
                value = row.get(c.attname, c.default)
                out.append(value if formatter is None else formatter(value))
            return out

        chunk: list[list] = []
        for row in rows:
            chunk.append(values(row))
            if len(chunk) == BATCH_ROWS:
                bulk.copy_rows(connection, table, names, chunk, not_null=not_null)
                total += len(chunk)
                chunk = []
        if chunk:
            bulk.copy_rows(connection, table, names, chunk, not_null=not_null)
            total += len(chunk)
        return total
    batch: list[models.Model] = []
    for row in rows:
        values = {c.attname: row.get(c.attname, c.default) for c in columns}
        batch.append(model(**values))
        if len(batch) == 2000:
            model.objects.bulk_create(batch)
            total += len(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)
        total += len(batch)
    return total


@contextmanager
def _indexes_built_after(tables: list[str]) -> Iterator[None]:
    """On PostgreSQL, drop the tables' secondary indexes, unique and foreign-key constraints for
    the load and recreate them from their catalogue definitions afterwards, in the same
    transaction: one sorted index build (and one validation join per foreign key) instead of a
    million random index inserts and row-by-row checks. Primary keys stay (ids are ascending)."""
    if connection.vendor != "postgresql":
        yield
        return
    drops: list[str] = []
    creates: list[str] = []
    with connection.cursor() as cursor:
        for table in tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid), conindid FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')",
                [table],
            )
            constraint_indexes = set()
            for name, definition, index_oid in cursor.fetchall():
                constraint_indexes.add(index_oid)
                drops.append(
                    f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(name)}"
                )
                creates.append(
                    f"ALTER TABLE {quoted} ADD CONSTRAINT {connection.ops.quote_name(name)} "
                    f"{definition}"
                )
            cursor.execute(
                "SELECT i.indexrelid, c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary",
                [table],
            )
            for oid, name, definition in cursor.fetchall():
                if oid in constraint_indexes:
                    continue
                drops.append(f"DROP INDEX {connection.ops.quote_name(name)}")
                creates.append(definition)
        # Unique constraints first (foreign keys elsewhere may depend on them), then the rest.
        creates.sort(key=lambda sql: "UNIQUE" not in sql)
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for sql in drops:
            cursor.execute(sql)
    yield
    with connection.cursor() as cursor:
        for sql in creates:
            cursor.execute(sql)


def _reset_sequences(*models_: type[models.Model]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
