"""Imports as jobs: the batch's state moved by conditional UPDATEs, progress and heartbeat
stored every chunk, the validation and the write run by a worker (``imports.tasks``).

uploaded -> validating -> previewed -> writing -> done; any running step -> failed (an
unusable file, a failed write, a worker that stopped beating); uploaded / validating /
previewed -> cancelled. A failed batch can be tried again (back to uploaded).

Each move is ``filter(pk=..., state=expected).update(state=new)``: of two callers only the one
that updated the row goes on, so two confirms write once and a late worker does nothing.
The write and its ``done`` are one transaction: a worker that dies mid-write leaves nothing.
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core import spreadsheets as sheets

from .base import ImportFailed
from .models import ImportBatch
from .pipeline import ImportResult, run_import
from .registry import importer_for

logger = logging.getLogger(__name__)
State = ImportBatch.State
# Steps a worker is (or should be) busy with: they beat, or go stale.
RUNNING = (State.UPLOADED, State.VALIDATING, State.WRITING)
CANCELLABLE = (State.UPLOADED, State.VALIDATING, State.PREVIEWED)


def stale_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, "IMPORT_STALE_AFTER_SECONDS", 300))


def move(batch_id: int, expected: str | Iterable[str], new: str, **fields: Any) -> bool:
    """Move the batch from one of ``expected`` to ``new``; True for the caller that did."""
    states = [expected] if isinstance(expected, str) else list(expected)
    updated = ImportBatch.objects.filter(pk=batch_id, state__in=states).update(state=new, **fields)
    return updated == 1


def stale_message() -> str:
    return _(
        "The import stopped: the worker reading or writing it stopped answering. Nothing was "
        "written; try again."
    )


def fail_stale(batch_ids: Iterable[int] | None = None) -> int:
    """Mark failed the running batches whose worker has not beaten for the timeout (or that
    nobody took from the queue); returns how many. Called by the pages and by beat."""
    cutoff = timezone.now() - stale_after()
    queryset = ImportBatch.objects.filter(state__in=RUNNING)
    if batch_ids is not None:
        queryset = queryset.filter(pk__in=list(batch_ids))
    stale = queryset.alias(
        last_sign=Coalesce("heartbeat_at", "step_started_at", "created_at")
    ).filter(last_sign__lt=cutoff)
    return stale.update(state=State.FAILED, message=stale_message())


def estimate_rows(path: Path) -> int | None:
    """Data rows the file holds, roughly (the header counts as one): rows of the largest sheet
    of a workbook, lines of a CSV; None when unknown (.xls)."""
    try:
        with path.open("rb") as handle:
            kind = sheets.sniff_format(handle)
            handle.seek(0)
            if kind == "csv":
                return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
            if kind in ("xlsx", "xlsm"):
                extents = sheets.check_workbook_zip(handle, sheets.Limits.from_settings())
                return max((extent.rows for extent in extents), default=0) or None
    except (OSError, sheets.SpreadsheetError):
        return None
    return None


class ProgressWriter:
    """Stores the counts and the heartbeat of one batch, once per chunk.

    The write runs in one transaction; an UPDATE of the batch on that connection would only
    be seen at the commit. On PostgreSQL the counts go through a second connection of their
    own (autocommit), so the pages see them while the write runs. On SQLite the job's
    connection is used. Where the second connection does not see the batch (a test's
    uncommitted row), the job's connection is used only while reading (``shared``): during
    the write a COPY may be in flight on it from a helper thread (``core.bulk``)."""

    def __init__(self, batch_id: int, *, shared: bool = True) -> None:
        self.batch_id = batch_id
        self.shared = shared
        self._side: Any = None

    def _side_connection(self) -> Any:
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        return self._side

    def store(self, **fields: Any) -> None:
        fields["heartbeat_at"] = timezone.now()
        if connection.in_atomic_block and connection.vendor == "postgresql":
            table = ImportBatch._meta.db_table
            names = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in fields)
            with self._side_connection().cursor() as cursor:
                cursor.execute(
                    f"UPDATE {connection.ops.quote_name(table)} SET {names} WHERE id = %s",
                    [*fields.values(), self.batch_id],
                )
                if cursor.rowcount == 1 or not self.shared:
                    return
        ImportBatch.objects.filter(pk=self.batch_id).update(**fields)

    def __call__(self, read: int, validated: int, written: int) -> None:
        self.store(rows_read=read, rows_validated=validated, rows_written=written)

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


def _step_fields(**extra: Any) -> dict[str, Any]:
    now = timezone.now()
    return {
        "step_started_at": now,
        "heartbeat_at": now,
        "rows_read": 0,
        "rows_validated": 0,
        "rows_written": 0,
        **extra,
    }


def _counts(batch: ImportBatch, result: ImportResult) -> dict[str, Any]:
    from .services import record_result

    record_result(batch, result)
    return {
        "created": batch.created,
        "updated": batch.updated,
        "unchanged": batch.unchanged,
        "rejected": batch.rejected,
        "details": batch.details,
        "report": batch.report.name or "",
        "rows_read": result.rows_read,
        "rows_validated": result.validated,
    }


def validate(batch_id: int) -> None:
    """Read and validate the batch's file without writing: counts, first rejected rows and
    the report on the batch, then ``previewed`` (or ``failed`` naming what is wrong)."""
    if not move(batch_id, State.UPLOADED, State.VALIDATING, **_step_fields()):
        return  # cancelled, taken by another worker, or failed as stale meanwhile
    batch = ImportBatch.objects.select_related("user").get(pk=batch_id)
    importer = importer_for(batch.kind)
    path = Path(batch.upload.path)
    ImportBatch.objects.filter(pk=batch_id).update(rows_total=estimate_rows(path))
    progress = ProgressWriter(batch_id)
    try:
        result = run_import(
            importer,
            path,
            name=batch.file_name,
            user=batch.user,
            dry_run=True,
            progress=progress,
            fill_from_name=True,
        )
    except sheets.SpreadsheetError as exc:
        move(batch_id, State.VALIDATING, State.FAILED, message=str(exc))
        return
    except Exception:
        logger.exception("validating import %s failed", batch_id)
        move(batch_id, State.VALIDATING, State.FAILED, message=stale_message())
        return
    finally:
        progress.close()
    move(batch_id, State.VALIDATING, State.PREVIEWED, message="", **_counts(batch, result))


class _Lost(Exception):
    """The batch left ``writing`` while the write ran (marked stale): roll the write back."""


def write(batch_id: int) -> None:
    """Import a confirmed batch (already moved to ``writing`` by ``confirm``). The records,
    the counts and ``done`` are committed together or not at all."""
    batch = ImportBatch.objects.select_related("user").filter(pk=batch_id).first()
    if batch is None or batch.state != State.WRITING:
        return
    importer = importer_for(batch.kind)
    progress = ProgressWriter(batch_id, shared=False)
    try:
        with transaction.atomic():
            result = run_import(
                importer,
                batch.upload.path,
                name=batch.file_name,
                user=batch.user,
                batch=batch,
                progress=progress,
                fill_from_name=bool(batch.options.get("fill_from_name")),
            )
            fields = _counts(batch, result)
            fields["rows_written"] = result.created + result.updated
            if not move(batch_id, State.WRITING, State.DONE, committed_at=timezone.now(), **fields):
                raise _Lost
    except _Lost:
        logger.warning("import %s was marked failed while it was written: rolled back", batch_id)
    except (sheets.SpreadsheetError, ImportFailed) as exc:
        move(batch_id, State.WRITING, State.FAILED, message=str(exc))
    except Exception:
        logger.exception("writing import %s failed", batch_id)
        move(batch_id, State.WRITING, State.FAILED, message=stale_message())
    finally:
        progress.close()


# -- queueing ----------------------------------------------------------------------------------


def _in_thread(job: Callable[[int], None], batch_id: int) -> None:
    try:
        job(batch_id)
    finally:
        connection.close()


def queue(job: str, batch_id: int) -> None:
    """Run ``validate`` or ``write`` for the batch after the commit: by Celery, or (setting
    IMPORT_JOBS_IN_THREAD, for browser tests without a broker) in a thread of this process."""
    if getattr(settings, "IMPORT_JOBS_IN_THREAD", False):
        target = {"validate": validate, "write": write}[job]
        transaction.on_commit(
            lambda: threading.Thread(
                target=_in_thread, args=(target, batch_id), daemon=True
            ).start()
        )
        return
    from . import tasks

    task = {"validate": tasks.import_validate, "write": tasks.import_write}[job]
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        # No broker (make run, tests): run now, on this connection, which sees the batch
        # even inside a transaction that never commits (a test's).
        task.apply(args=(batch_id,))
        return
    task.delay_on_commit(batch_id)


def start(batch: ImportBatch) -> None:
    """Queue the validation of a new batch."""
    queue("validate", batch.pk)


def confirm(batch_id: int, *, user: Any, fill_from_name: bool = False) -> bool:
    """Queue the write of a previewed batch; False when it is not previewed any more (a
    second confirm, a cancelled batch): nothing is queued then."""
    moved = move(
        batch_id,
        State.PREVIEWED,
        State.WRITING,
        user=user,
        options={"fill_from_name": fill_from_name},
        **_step_fields(),
    )
    if moved:
        queue("write", batch_id)
    return moved


def cancel(batch_id: int) -> bool:
    return move(batch_id, CANCELLABLE, State.CANCELLED, message="")


def retry(batch_id: int) -> bool:
    """A failed batch read again from its stored file (then previewed and confirmed anew)."""
    batch = ImportBatch.objects.filter(pk=batch_id).only("upload").first()
    if batch is None or not batch.upload:
        return False
    moved = move(batch_id, State.FAILED, State.UPLOADED, message="", **_step_fields())
    if moved:
        queue("validate", batch_id)
    return moved
