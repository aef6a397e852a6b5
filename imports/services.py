"""Imports recorded as ImportBatch rows: the preview, the confirmed import (once), and the
command-line import. Views and commands call these."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import spreadsheets as sheets

from .base import Importer, ImportFailed
from .models import ImportBatch
from .pipeline import ImportResult, run_import


def _save_report(batch: ImportBatch, result: ImportResult) -> None:
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


def record_result(batch: ImportBatch, result: ImportResult) -> None:
    """Counts, preview details and the report of ``result`` on the batch (not saved)."""
    batch.created = result.created
    batch.updated = result.updated
    batch.unchanged = result.unchanged
    batch.rejected = result.rejected
    batch.details = result.details()
    _save_report(batch, result)


def batch_upload(
    *, importer: Importer, upload: UploadedFile, user: AbstractBaseUser
) -> ImportBatch:
    """Store an uploaded file as a new batch and preview it. SpreadsheetError (the batch is
    then marked failed) when the file cannot be used."""
    batch = ImportBatch.objects.create(
        kind=importer.key,
        user=user,
        file_name=Path(upload.name or "").name[:255],
        upload=upload,
    )
    batch_preview(importer=importer, batch=batch)
    return batch


def batch_preview(*, importer: Importer, batch: ImportBatch) -> ImportResult:
    """Read the batch's file without writing; store the counts, the first rejected rows and the
    report on the batch. SpreadsheetError marks the batch failed."""
    try:
        result = run_import(
            importer, batch.upload.path, name=batch.file_name, user=batch.user, dry_run=True
        )
    except sheets.SpreadsheetError as exc:
        batch.status = ImportBatch.Status.FAILED
        batch.message = str(exc)
        batch.save()
        raise
    record_result(batch, result)
    batch.save()
    return result


def batch_commit(*, importer: Importer, batch: ImportBatch, user: AbstractBaseUser) -> ImportResult:
    """Import a previewed batch for real. The batch row is locked first and its status checked,
    so a double click or a second tab cannot import it twice; counts are those of the actual
    write (the records may have changed since the preview)."""
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportBatch.Status.PREVIEW:
            raise ImportFailed(_("This import has already been confirmed or has failed."))
        try:
            result = run_import(
                importer, locked.upload.path, name=locked.file_name, user=user, batch=locked
            )
        except (sheets.SpreadsheetError, ImportFailed) as exc:
            failure = str(exc)
        else:
            failure = ""
            record_result(locked, result)
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


def import_file(
    *,
    importer: Importer,
    path: str | Path,
    user: AbstractBaseUser | None = None,
    dry_run: bool = False,
) -> tuple[ImportResult, ImportBatch | None]:
    """The command-line import: import and record an ImportBatch (none for a dry run)."""
    path = Path(path)
    result = run_import(importer, path, user=user, dry_run=dry_run)
    if dry_run:
        return result, None
    batch = ImportBatch(
        kind=importer.key,
        status=ImportBatch.Status.COMMITTED,
        user=user,
        file_name=path.name[:255],
        committed_at=timezone.now(),
    )
    record_result(batch, result)
    batch.save()
    return result, batch
