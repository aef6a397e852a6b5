"""Imports recorded as ImportBatch rows: upload (queues the validation), confirm (queues the
write, once), and the command-line import. Views and commands call these; the steps run as
jobs (``imports.jobs``)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from . import jobs
from .base import Importer, ImportFailed
from .models import ImportBatch
from .pipeline import ImportResult, Progress, run_import


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
    """Store an uploaded file as a new batch and queue its validation (``imports.jobs``);
    with CELERY_TASK_ALWAYS_EAGER it has run when this returns."""
    batch = ImportBatch.objects.create(
        kind=importer.key,
        user=user,
        file_name=Path(upload.name or "").name[:255],
        upload=upload,
    )
    jobs.start(batch)
    batch.refresh_from_db()
    return batch


def batch_confirm(*, batch: ImportBatch, user: AbstractBaseUser, fill_from_name: bool) -> None:
    """Queue the write of a previewed batch, once: a second confirm (double click, another
    tab) raises ImportFailed and queues nothing."""
    if not jobs.confirm(batch.pk, user=user, fill_from_name=fill_from_name):
        raise ImportFailed(_("This import has already been confirmed or has failed."))
    batch.refresh_from_db()


def import_file(
    *,
    importer: Importer,
    path: str | Path,
    user: AbstractBaseUser | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> tuple[ImportResult, ImportBatch | None]:
    """The command-line import: import and record an ImportBatch (none for a dry run)."""
    path = Path(path)
    result = run_import(importer, path, user=user, dry_run=dry_run, progress=progress)
    if dry_run:
        return result, None
    batch = ImportBatch(
        kind=importer.key,
        state=ImportBatch.State.DONE,
        user=user,
        file_name=path.name[:255],
        committed_at=timezone.now(),
    )
    record_result(batch, result)
    batch.save()
    return result, batch


def terminal_progress(stream: Any) -> Progress | None:
    """A progress line for a command run in a terminal (stderr a tty), rewritten every chunk;
    None otherwise, so scripts and logs get the summary line alone."""
    if not getattr(stream, "isatty", lambda: False)():
        return None

    def show(read: int, validated: int, written: int) -> None:
        line = _("%(read)d rows read, %(validated)d validated, %(written)d written") % {
            "read": read,
            "validated": validated,
            "written": written,
        }
        stream.write(f"\r{line}")
        stream.flush()

    return show
