"""Writes to the employer registry: the roster import and the employer form's create/edit/
deregister. Views and commands call these; they hold no rules of their own."""

from __future__ import annotations

import logging
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from . import roster
from . import spreadsheets as sheets
from .models import Employer, ImportBatch, Unit
from .signals import employers_imported

logger = logging.getLogger(__name__)

# Rows validated, looked up (one SELECT) and written per round trip.
CHUNK_SIZE = 2000
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


def _apply_chunk(
    chunk: list[roster.RosterRecord],
    *,
    columns: list[str],
    unit_ids: Mapping[str, int],
    result: RosterImportResult,
    write: bool,
    user: AbstractBaseUser | None,
    reason: str,
) -> None:
    """Classify one chunk against the database with one SELECT of the compared columns, and
    write it in bulk (a second SELECT loads the employers that changed, for their history)."""
    existing = {
        row["credit_code"]: row
        for row in Employer.objects.filter(credit_code__in=[r.credit_code for r in chunk]).values(
            "id", "credit_code", *columns
        )
    }
    to_create: list[Employer] = []
    changes_by_id: dict[int, dict[str, Any]] = {}
    for record in chunk:
        current = existing.get(record.credit_code)
        if current is None:
            to_create.append(roster.new_employer(record, unit_ids))
            continue
        changes = roster.changes_for(current, record.values, unit_ids)
        if changes:
            changes_by_id[current["id"]] = changes
        else:
            result.unchanged += 1
    result.created += len(to_create)
    result.updated += len(changes_by_id)
    if not write:
        return
    now = timezone.now()
    if to_create:
        # No history row per created employer: the ImportBatch records who added them, when
        # and from which file (it halves the cost of a large first import). Changes to existing
        # employers do get history rows below, so their before/after stays visible.
        created = Employer.objects.bulk_create(to_create, batch_size=CHUNK_SIZE)
        result.employer_ids.extend(e.pk for e in created)
    if changes_by_id:
        # Employers grouped by the set of fields that changed, so each UPDATE sets only those.
        to_update: dict[tuple[str, ...], list[Employer]] = defaultdict(list)
        for employer in Employer.objects.filter(pk__in=changes_by_id):
            changes = changes_by_id[employer.pk]
            for name, value in changes.items():
                setattr(employer, name, value)
            employer.updated_at = now
            to_update[tuple(sorted(changes))].append(employer)
        for fields, employers in to_update.items():
            bulk_update_with_history(
                employers,
                Employer,
                fields=[*fields, "updated_at"],
                batch_size=CHUNK_SIZE,
                default_user=user,
                default_change_reason=reason,
                default_date=now,
            )
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
                )
        finally:
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
