"""What the progress box and the progress JSON show of a batch: counts, share done and an
estimate of the time left, worked out from the stored counts (no worker is asked)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .models import ImportBatch


def progress_of(batch: ImportBatch) -> dict[str, Any]:
    """Counts of the running (or last) step; ``percent`` and ``seconds_left`` are None while
    nothing is known (no estimate of the rows, nothing read yet)."""
    total = batch.rows_total
    read = batch.rows_read
    percent = seconds_left = None
    if total and read:
        # The estimate counts the header and notes too: never claim more than 99 % running.
        share = min(read / total, 0.99 if batch.working else 1.0)
        percent = round(share * 100)
        if batch.working and batch.step_started_at is not None:
            elapsed = (timezone.now() - batch.step_started_at).total_seconds()
            seconds_left = max(0, round(elapsed * (1 - share) / share))
    return {
        "id": batch.pk,
        "state": batch.state,
        "state_label": str(batch.get_state_display()),
        "working": batch.working,
        "rows_total": total,
        "rows_read": read,
        "rows_validated": batch.rows_validated,
        "rows_written": batch.rows_written,
        "percent": percent,
        "seconds_left": seconds_left,
        "message": batch.message,
    }
