"""How the roster importer writes employers: Django's bulk operations on any database, COPY
on PostgreSQL (``core.bulk``), for the same rows, history and transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from core import bulk

from . import roster
from .models import Employer

CHUNK_SIZE = 2000
# Employer columns a roster can change (``unit_id`` for the unit).
CHANGEABLE = frozenset(
    "unit_id" if name == "unit" else name for name in roster.CLEANERS if name != "credit_code"
)


class BulkWriter:
    """Writes with Django's bulk operations. Created employers get no history row each (the
    ImportBatch records who added them, when and from which file); changed ones get one with
    before/after, attributed to the importing user, grouped by the set of changed fields so each
    UPDATE sets only those."""

    def __init__(self, *, user: AbstractBaseUser | None, reason: str) -> None:
        self.user = user
        self.reason = reason
        self.now = timezone.now()

    def create(self, records: list[Any], unit_ids: Mapping[str, int]) -> list[int]:
        employers = [roster.new_employer(r.key, r.values, unit_ids) for r in records]
        created = Employer.objects.bulk_create(employers, batch_size=CHUNK_SIZE)
        return [e.pk for e in created]

    def change(self, changes_by_id: dict[int, dict[str, Any]]) -> None:
        to_update: dict[tuple[str, ...], list[Employer]] = defaultdict(list)
        for employer in Employer.objects.filter(pk__in=changes_by_id):
            changes = changes_by_id[employer.pk]
            for name, value in changes.items():
                setattr(employer, name, value)
            employer.updated_at = self.now
            to_update[tuple(sorted(changes))].append(employer)
        for fields, employers in to_update.items():
            bulk_update_with_history(
                employers,
                Employer,
                fields=[*fields, "updated_at"],
                batch_size=CHUNK_SIZE,
                default_user=self.user,
                default_change_reason=self.reason,
                default_date=self.now,
            )

    def wait(self) -> None:
        """Every write has finished when its call returns: nothing to wait for."""

    def finish(self) -> None:
        """Nothing is left to write: every chunk was written as it came."""

    def close(self) -> None:
        """Nothing to release."""


class CopyWriter(BulkWriter):
    """The same writes through COPY. Created employers are copied straight into the table,
    with ids drawn from its sequence first (the signal needs them). Changed employers are
    copied into a temporary table, chunk by chunk, and written at the end with one
    ``UPDATE ... FROM`` per set of changed fields, then one ``INSERT ... SELECT`` of their
    history rows, read back from the updated rows. Each COPY runs in the background
    (``bulk.BackgroundCopy``) while the next chunk is validated."""

    STAGING = "roster_import_changes"

    def __init__(self, *, user: AbstractBaseUser | None, reason: str) -> None:
        super().__init__(user=user, reason=reason)
        self.table = Employer._meta.db_table
        self.fields = list(Employer._meta.concrete_fields)
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.compared = [f for f in self.fields if f.attname in CHANGEABLE]
        self.text_columns = bulk.text_columns(Employer)
        self.field_sets: dict[tuple[str, ...], int] = {}
        self.staged = 0
        self.copy = bulk.BackgroundCopy(connection)

    def wait(self) -> None:
        self.copy.wait()

    def close(self) -> None:
        self.copy.close()

    def create(self, records: list[Any], unit_ids: Mapping[str, int]) -> list[int]:
        self.wait()
        ids = bulk.next_ids(connection, self.table, len(records))
        # Each row: the model's defaults, overlaid with the cells the file filled in.
        template = {**self.defaults, "created_at": self.now, "updated_at": self.now}
        pick = itemgetter(*(f.attname for f in self.fields))
        default_kind = roster.default_kind
        rows = []
        for pk, record in zip(ids, records, strict=True):
            values = record.values
            row = {**template, **values}
            row["id"] = pk
            row["credit_code"] = code = record.key
            row["unit_id"] = unit_ids[values["unit"]]
            if "kind" not in values:
                row["kind"] = default_kind(code)
            rows.append(pick(row))
        columns = [f.column for f in self.fields]
        self.copy.send(self.table, columns, rows, not_null=self.text_columns)
        return ids

    def change(self, changes_by_id: dict[int, dict[str, Any]]) -> None:
        q = connection.ops.quote_name
        names = [f.attname for f in self.compared]
        self.wait()
        if not self.staged:
            definitions = ", ".join(
                f"{q(f.attname)} {f.cast_db_type(connection)}" for f in self.compared
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {q(self.STAGING)} "
                    f"(id bigint NOT NULL, field_set integer NOT NULL, {definitions}) "
                    "ON COMMIT DROP"
                )
        field_sets = self.field_sets
        rows = []
        for pk, changes in changes_by_id.items():
            field_set = field_sets.setdefault(tuple(sorted(changes)), len(field_sets))
            # NULL means "not changed": a change is never to an empty value (blank cells are
            # not compared), so the UPDATE can tell the two apart.
            rows.append((pk, field_set, *map(changes.get, names)))
        self.copy.send(self.STAGING, ["id", "field_set", *names], rows)
        self.staged += len(changes_by_id)

    def finish(self) -> None:
        self.wait()
        if not self.staged:
            return
        q = connection.ops.quote_name
        table, staging = q(self.table), q(self.STAGING)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE INDEX ON {staging} (field_set, id)")
            cursor.execute(f"ANALYZE {staging}")
            column = {f.attname: q(f.column) for f in self.fields}
            for fields, field_set in self.field_sets.items():
                assignments = ", ".join(f"{column[name]} = t.{q(name)}" for name in fields)
                cursor.execute(
                    f"UPDATE {table} AS e SET {assignments}, {column['updated_at']} = %s "
                    f"FROM {staging} AS t WHERE t.field_set = %s AND e.id = t.id",
                    [self.now, field_set],
                )
            if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
                # The history rows bulk_update_with_history would write: the employer as
                # updated, with who, when and why.
                history = Employer.history.model
                meta = history._meta
                tracked = [f.attname for f in history.tracked_fields]
                user = self.user or history.get_default_history_user(Employer())
                extra = ["history_date", "history_change_reason", "history_type", "history_user"]
                columns = [q(meta.get_field(name).column) for name in [*tracked, *extra]]
                cursor.execute(
                    f"INSERT INTO {q(meta.db_table)} ({', '.join(columns)}) "
                    f"SELECT {', '.join('e.' + column[name] for name in tracked)}, %s, %s, '~', %s "
                    f"FROM {table} AS e JOIN {staging} AS t ON t.id = e.id ORDER BY e.id",
                    [self.now, self.reason, getattr(user, "pk", None)],
                )
            cursor.execute(f"DROP TABLE {staging}")
        self.staged = 0


def writer_for(*, user: AbstractBaseUser | None, reason: str) -> BulkWriter:
    """COPY on PostgreSQL with psycopg2, Django's bulk operations elsewhere."""
    if bulk.copy_supported(connection):
        return CopyWriter(user=user, reason=reason)
    return BulkWriter(user=user, reason=reason)
