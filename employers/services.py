"""Writes to the employer registry: the roster import and the employer form's create/edit/
deregister. Views and commands call these; they hold no rules of their own."""

from __future__ import annotations

import csv
import io
import logging
import tempfile
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from core import spreadsheets as sheets

from . import roster
from .models import Employer, ImportBatch, Unit
from .signals import employers_imported

logger = logging.getLogger(__name__)

# Rows validated, looked up (one SELECT) and written per round trip.
CHUNK_SIZE = 2000
_REASON_LENGTH = Employer.history.model._meta.get_field("history_change_reason").max_length
# Rejected rows kept for the preview page; the report file holds all of them.
PREVIEW_REJECTIONS = 50


class ImportFailed(Exception):
    """The import could not be written; nothing was. ``str(exc)`` is for the user."""


@dataclass
class RosterImportResult:
    """What an import did (or, for a dry run, would do)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    duplicates: int = 0
    header_row: int = 0
    sheet_name: str = ""
    titles: tuple[str, ...] = ()
    rejections: list[roster.RowProblem] = field(default_factory=list)
    employer_ids: list[int] = field(default_factory=list)
    report: sheets.RejectedRowsReport | None = None

    @property
    def summary(self) -> str:
        """The summary line of SPEC section 7."""
        return (
            f"created={self.created} updated={self.updated} "
            f"unchanged={self.unchanged} rejected={self.rejected}"
        )

    def details(self) -> dict[str, Any]:
        return {
            "header_row": self.header_row,
            "sheet": self.sheet_name,
            "duplicates": self.duplicates,
            "rejections": [p.as_dict() for p in self.rejections],
        }


def _chunks(records: Iterator[roster.RosterRecord]) -> Iterator[list[roster.RosterRecord]]:
    while chunk := list(islice(records, CHUNK_SIZE)):
        yield chunk


class _BulkWriter:
    """Writes an import with Django's bulk operations: any database (SQLite in development
    and tests). Created employers get no history row each (the ImportBatch records who added
    them, when and from which file); changed ones get one with before/after, attributed to
    the importing user, grouped by the set of changed fields so each UPDATE sets only those."""

    def __init__(self, *, user: AbstractBaseUser | None, reason: str) -> None:
        self.user = user
        self.reason = reason
        self.now = timezone.now()

    def create(self, records: list[roster.RosterRecord], unit_ids: Mapping[str, int]) -> list[int]:
        employers = [roster.new_employer(record, unit_ids) for record in records]
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


class _CopyWriter(_BulkWriter):
    """The same writes on PostgreSQL, through COPY: several times faster than INSERT/UPDATE
    statements built by the ORM, for the same rows, history and transaction.

    Created employers are copied straight into the table, with ids drawn from its sequence
    first (the signal needs them). Changed employers are copied into a temporary table,
    chunk by chunk, and written at the end with one ``UPDATE ... FROM`` per set of changed
    fields (so each sets only those columns), then one ``INSERT ... SELECT`` of their
    history rows, read back from the updated rows.

    Each COPY runs in a helper thread on the import's own database connection (so in its
    transaction) while this thread validates the next chunk: PostgreSQL ingests one chunk
    while Python reads the next. Only one statement is ever in flight: every other use of
    the connection first ``wait``s for it, and its error is raised here, as Django's."""

    STAGING = "roster_import_changes"

    def __init__(self, *, user: AbstractBaseUser | None, reason: str) -> None:
        super().__init__(user=user, reason=reason)
        self.table = Employer._meta.db_table
        self.fields = [f for f in Employer._meta.concrete_fields]
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.compared = [f for f in self.fields if f.attname in _CHANGEABLE]
        # Text columns: an empty cell there is an empty string, never NULL.
        self.text_columns = [
            f.column for f in self.fields if not f.null and f.empty_strings_allowed
        ]
        self.field_sets: dict[tuple[str, ...], int] = {}
        self.staged = 0
        self._raw_cursor: Any = None
        self._pending: threading.Thread | None = None
        self._failure: BaseException | None = None

    # -- COPY in the background -------------------------------------------------------------

    def _send(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        not_null: Sequence[str] = (),
    ) -> None:
        """Start copying ``rows`` into ``table``; returns at once (see ``wait``)."""
        self.wait()
        statement = _copy_statement(table, columns, not_null=not_null)
        buffer = _csv_buffer(rows)
        if self._raw_cursor is None:
            # The driver's own cursor on the same connection: Django's connection object
            # belongs to this thread and must not be used from the helper.
            connection.ensure_connection()
            self._raw_cursor = connection.connection.cursor()
        cursor = self._raw_cursor

        def copy() -> None:
            try:
                cursor.copy_expert(statement, buffer, size=_COPY_READ_SIZE)
            except BaseException as exc:  # handed to the importing thread by wait()
                self._failure = exc

        self._pending = threading.Thread(target=copy, name="roster-import-copy", daemon=True)
        self._pending.start()

    def wait(self) -> None:
        """Block until the COPY in flight has finished; raise its error as Django's
        DatabaseError (the transaction then rolls back as for any other failure)."""
        if self._pending is not None:
            self._pending.join()
            self._pending = None
        if self._failure is not None:
            failure, self._failure = self._failure, None
            with connection.wrap_database_errors:
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

    # -- created employers ------------------------------------------------------------------

    def create(self, records: list[roster.RosterRecord], unit_ids: Mapping[str, int]) -> list[int]:
        self.wait()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [self.table, len(records)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        # Each row: the model's defaults, overlaid with the cells the file filled in.
        template = {**self.defaults, "created_at": self.now, "updated_at": self.now}
        pick = itemgetter(*(f.attname for f in self.fields))
        default_kind = roster.default_kind
        rows = []
        for pk, record in zip(ids, records, strict=True):
            values = record.values
            row = {**template, **values}
            row["id"] = pk
            row["credit_code"] = code = record.credit_code
            row["unit_id"] = unit_ids[values["unit"]]
            if "kind" not in values:
                row["kind"] = default_kind(code)
            rows.append(pick(row))
        columns = [f.column for f in self.fields]
        self._send(self.table, columns, rows, not_null=self.text_columns)
        return ids

    # -- changed employers ------------------------------------------------------------------

    def change(self, changes_by_id: dict[int, dict[str, Any]]) -> None:
        q = connection.ops.quote_name
        names = [f.attname for f in self.compared]
        self.wait()
        with connection.cursor() as cursor:
            if not self.staged:
                definitions = ", ".join(
                    f"{q(f.attname)} {f.cast_db_type(connection)}" for f in self.compared
                )
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {q(self.STAGING)} "
                    f"(id bigint NOT NULL, field_set integer NOT NULL, {definitions}) "
                    "ON COMMIT DROP"
                )
            field_sets = self.field_sets
            rows = []
            for pk, changes in changes_by_id.items():
                field_set = field_sets.setdefault(tuple(sorted(changes)), len(field_sets))
                # NULL means "not changed": a change is never to an empty value (blank cells
                # are not compared), so the UPDATE can tell the two apart.
                rows.append((pk, field_set, *map(changes.get, names)))
        self._send(self.STAGING, ["id", "field_set", *names], rows)
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


# Employer columns a roster can change (``unit_id`` for the unit).
_CHANGEABLE = frozenset(
    "unit_id" if name == "unit" else name for name in roster.CLEANERS if name != "credit_code"
)


# Bytes handed to the driver per read of a COPY buffer (its default is 8 kB).
_COPY_READ_SIZE = 256 * 1024


def _copy_statement(table: str, columns: Sequence[str], *, not_null: Sequence[str] = ()) -> str:
    """COPY in CSV format: an empty field is NULL, except in the ``not_null`` columns, where
    it is an empty string."""
    q = connection.ops.quote_name
    options = "FORMAT csv"
    if not_null:
        options += f", FORCE_NOT_NULL ({', '.join(map(q, not_null))})"
    return f"COPY {q(table)} ({', '.join(map(q, columns))}) FROM STDIN WITH ({options})"


def _csv_buffer(rows: Iterable[Sequence[Any]]) -> io.StringIO:
    """Rows as CSV, written by Python's csv module (in C). None becomes an empty field;
    dates, aware datetimes and numbers are written as PostgreSQL reads them back."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    buffer.seek(0)
    return buffer


def _writer_for(*, user: AbstractBaseUser | None, reason: str) -> _BulkWriter:
    """COPY on PostgreSQL with psycopg2, Django's bulk operations elsewhere."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if hasattr(cursor.cursor, "copy_expert"):
                return _CopyWriter(user=user, reason=reason)
    return _BulkWriter(user=user, reason=reason)


def _existing_rows(codes: list[str], columns: list[str]) -> Iterable[Sequence[Any]]:
    """(id, credit_code, *columns) of the employers with these codes, in one SELECT.

    On PostgreSQL the statement is sent as it is (the driver returns the values the model
    would: no conversion is needed), which saves the ORM's per-row work on every chunk;
    elsewhere (SQLite stores dates as text) the ORM converts them."""
    if connection.vendor != "postgresql":
        return Employer.objects.filter(credit_code__in=codes).values_list(
            "id", "credit_code", *columns
        )
    q = connection.ops.quote_name
    meta = Employer._meta
    selected = ", ".join(q(meta.get_field(name).column) for name in ["id", "credit_code", *columns])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {selected} FROM {q(meta.db_table)} WHERE {q('credit_code')} = ANY(%s)",
            [codes],
        )
        return cursor.fetchall()


def _apply_chunk(
    chunk: list[roster.RosterRecord],
    *,
    columns: list[str],
    unit_ids: Mapping[str, int],
    result: RosterImportResult,
    write: bool,
    user: AbstractBaseUser | None,
    reason: str,
    writer: _BulkWriter | None = None,
) -> None:
    """Classify one chunk against the database with one SELECT of the compared columns, and
    hand the new and the changed employers to the writer."""
    if writer is not None:
        writer.wait()  # the connection is free again (the previous chunk's COPY has ended)
    existing = {row[1]: row for row in _existing_rows([r.credit_code for r in chunk], columns)}
    positions = {name: index for index, name in enumerate(columns, start=2)}
    changes_for = roster.changes_for
    to_create: list[roster.RosterRecord] = []
    changes_by_id: dict[int, dict[str, Any]] = {}
    for record in chunk:
        current = existing.get(record.credit_code)
        if current is None:
            to_create.append(record)
            continue
        changes = changes_for(current, record.values, unit_ids, positions)
        if changes:
            changes_by_id[current[0]] = changes
        else:
            result.unchanged += 1
    result.created += len(to_create)
    result.updated += len(changes_by_id)
    if not write:
        return
    if writer is None:
        writer = _BulkWriter(user=user, reason=reason)
    if to_create:
        result.employer_ids.extend(writer.create(to_create, unit_ids))
    if changes_by_id:
        writer.change(changes_by_id)
        result.employer_ids.extend(changes_by_id)


def _run(
    path: Path,
    *,
    name: str,
    result: RosterImportResult,
    write: bool,
    user: AbstractBaseUser | None,
    reason: str,
) -> None:
    unit_ids = dict(Unit.objects.values_list("code", "id"))
    with sheets.open_table(
        path,
        aliases=roster.ROSTER_COLUMNS,
        required=roster.REQUIRED_FIELDS,
        labels={k: str(v) for k, v in roster.FIELD_LABELS.items()},
        name=name,
    ) as table:
        result.header_row = table.header.row_number
        result.sheet_name = table.sheet_name
        result.titles = table.header.titles

        def reject(row: sheets.Row, problems: list[roster.RowProblem]) -> None:
            result.rejected += 1
            room = PREVIEW_REJECTIONS - len(result.rejections)
            if room > 0:
                result.rejections.extend(problems[:room])
            if result.report is None:
                result.report = sheets.RejectedRowsReport(table.header.titles)
            result.report.add(row, roster.problems_text(problems))

        def duplicate(_record: roster.RosterRecord) -> None:
            result.duplicates += 1

        records = roster.records_of(table, reject, duplicate)
        columns = roster.compared_columns(table.header)
        writer = _writer_for(user=user, reason=reason) if write else None
        try:
            for chunk in _chunks(records):
                _apply_chunk(
                    chunk,
                    columns=columns,
                    unit_ids=unit_ids,
                    result=result,
                    write=write,
                    user=user,
                    reason=reason,
                    writer=writer,
                )
            if writer is not None:
                writer.finish()
        finally:
            if writer is not None:
                writer.close()
            if result.report is not None:
                result.report.finish()


def roster_import(
    *,
    path: str | Path,
    name: str | None = None,
    user: AbstractBaseUser | None = None,
    dry_run: bool = False,
    batch: ImportBatch | None = None,
) -> RosterImportResult:
    """Import an employer roster (.xlsx, .xls, .csv): create new employers, update changed
    ones, leave the rest alone, reject invalid rows with their reasons.

    Rows are read, validated and looked up chunk by chunk (one SELECT per chunk) and written with
    bulk_create/bulk_update (history rows included, attributed to ``user``), all in one
    transaction: a failure anywhere writes nothing. After the commit ``employers_imported`` is
    sent with the ids of the employers created or updated. ``dry_run`` reads and compares
    without writing. Raises SpreadsheetError for an unreadable file and ImportFailed when
    the write fails."""
    path = Path(path)
    name = name or path.name
    result = RosterImportResult()
    reason = _("Roster import %(name)s") % {"name": name}
    if batch is not None:
        reason = _("Roster import #%(id)d (%(name)s)") % {"id": batch.pk, "name": name}
    # A long file name must not fail the import on the history's change-reason column.
    reason = reason[:_REASON_LENGTH]
    if dry_run:
        _run(path, name=name, result=result, write=False, user=user, reason=reason)
        return result
    try:
        with transaction.atomic():
            _run(path, name=name, result=result, write=True, user=user, reason=reason)
            ids = list(result.employer_ids)
            if ids:
                transaction.on_commit(
                    lambda: employers_imported.send(
                        sender=Employer, employer_ids=ids, import_batch=batch
                    )
                )
    except DatabaseError as exc:
        logger.warning("roster import %s failed: %s", name, exc)
        raise ImportFailed(
            _(
                "The import was not saved: another change to the same employers happened at "
                "the same time. Nothing was written; please import the file again."
            )
        ) from exc
    result.employer_ids = ids
    return result


def _save_report(batch: ImportBatch, result: RosterImportResult) -> None:
    if batch.report:
        # The preview's report is replaced by the one of the actual import.
        batch.report.delete(save=False)
    if result.report is None:
        return
    stem = Path(batch.file_name).stem[:80]
    with tempfile.TemporaryFile() as handle:
        result.report.save(handle)
        handle.seek(0)
        batch.report.save(f"{stem}-rejected.xlsx", File(handle), save=False)


def _record(batch: ImportBatch, result: RosterImportResult) -> None:
    batch.created = result.created
    batch.updated = result.updated
    batch.unchanged = result.unchanged
    batch.rejected = result.rejected
    batch.details = result.details()
    _save_report(batch, result)


def roster_preview(*, batch: ImportBatch) -> RosterImportResult:
    """Read the batch's uploaded file without writing employers; store the counts, the first
    rejected rows and the report on the batch. SpreadsheetError marks the batch failed."""
    try:
        result = roster_import(
            path=batch.upload.path, name=batch.file_name, user=batch.user, dry_run=True
        )
    except sheets.SpreadsheetError as exc:
        batch.status = ImportBatch.Status.FAILED
        batch.message = str(exc)
        batch.save()
        raise
    _record(batch, result)
    batch.save()
    return result


def roster_commit(*, batch: ImportBatch, user: AbstractBaseUser) -> RosterImportResult:
    """Import a previewed batch for real. The batch row is locked first, so a double click or
    a second tab cannot import it twice; counts are those of the actual write (the registry
    may have changed since the preview)."""
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportBatch.Status.PREVIEW:
            raise ImportFailed(_("This import has already been confirmed or has failed."))
        try:
            result = roster_import(
                path=locked.upload.path, name=locked.file_name, user=user, batch=locked
            )
        except (sheets.SpreadsheetError, ImportFailed) as exc:
            failure = str(exc)
        else:
            failure = ""
            _record(locked, result)
            locked.status = ImportBatch.Status.COMMITTED
            locked.committed_at = timezone.now()
            locked.user = user
            locked.save()
    if failure:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.FAILED, message=failure
        )
        raise ImportFailed(failure)
    batch.refresh_from_db()
    return result


def roster_import_file(
    *, path: str | Path, user: AbstractBaseUser | None = None, dry_run: bool = False
) -> tuple[RosterImportResult, ImportBatch | None]:
    """The command-line import: import and record an ImportBatch (none for a dry run)."""
    path = Path(path)
    result = roster_import(path=path, user=user, dry_run=dry_run)
    if dry_run:
        return result, None
    batch = ImportBatch(
        kind=ImportBatch.Kind.ROSTER,
        status=ImportBatch.Status.COMMITTED,
        user=user,
        file_name=path.name[:255],
        committed_at=timezone.now(),
    )
    _record(batch, result)
    batch.save()
    return result, batch


# --------------------------------------------------------------------------------------------
# The employer form
# --------------------------------------------------------------------------------------------


def employer_create(*, user: AbstractBaseUser, data: Mapping[str, Any]) -> Employer:
    """Register one employer from cleaned form data; history records ``user``."""
    employer = Employer(**data)
    employer._history_user = user
    employer.full_clean()
    employer.save()
    return employer


def employer_update(
    *, employer: Employer, user: AbstractBaseUser, data: Mapping[str, Any]
) -> Employer:
    """Change the fields given; history records who changed what."""
    for name, value in data.items():
        setattr(employer, name, value)
    employer._history_user = user
    employer.full_clean()
    employer.save()
    return employer


def employer_deregister(*, employer: Employer, user: AbstractBaseUser) -> Employer:
    """Mark the employer deregistered (注销): it stays in the registry with its records."""
    if employer.status != Employer.Status.DEREGISTERED:
        employer.status = Employer.Status.DEREGISTERED
        employer._history_user = user
        employer.save(update_fields=["status", "updated_at"])
    return employer
