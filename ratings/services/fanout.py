"""A full rerate fanned out over Celery workers.

The employers are cut into ranges of ids (``rerate_ranges``), each range one task of a Celery
group (``ratings.rerate_range``); a task runs the prefilter and the bulk rerate on its range, so
it is idempotent (a range rerated twice changes nothing the second time, a redelivered task is
harmless) and needs no list of ids in the message. The run and its progress are a
``RerateRun`` row: chunks done of total, the counts, finished or failed. With eager tasks
(tests, the development server) the group runs inline.

More workers on more hosts all write to the one PostgreSQL: see docs/performance.md for where
that ends and what to change then.
"""

import datetime
import time

from celery import group
from django.db import transaction
from django.db.models import F, Max, Min
from django.utils import timezone

from employers.models import Employer

from ..models import RerateRun
from .prefilter import rerate_candidate_ids
from .rerate import CHUNK_SIZE, RerateSummary, employers_rerate_bulk, ruleset_switches_apply

# Each worker gets several ranges, so one slow range (a unit full of cases) does not leave the
# others idle at the end.
RANGES_PER_WORKER = 4


def rerate_ranges(*, workers: int, minimum: int = CHUNK_SIZE) -> list[tuple[int, int]]:
    """(first id, last id) ranges covering every employer, about equal in employers."""
    bounds = Employer.objects.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return []
    total = Employer.objects.count()
    count = max(1, min(workers * RANGES_PER_WORKER, total // max(minimum, 1) or 1))
    step = -(-(bounds["high"] - bounds["low"] + 1) // count)  # ceiling
    return [
        (low, min(low + step - 1, bounds["high"]))
        for low in range(bounds["low"], bounds["high"] + 1, step)
    ]


def rerate_range(*, run_id: int, low: int, high: int) -> RerateSummary:
    """One chunk of a run: rerate the employers with ids low..high that the prefilter names,
    then count the chunk on the run (one UPDATE; the last chunk closes the run)."""
    run = RerateRun.objects.get(pk=run_id)
    candidates = rerate_candidate_ids(today=run.today, after=low - 1, upto=high)
    summary = RerateSummary()
    if candidates:
        summary = employers_rerate_bulk(employer_ids=candidates, cause=run.cause, today=run.today)
    left_out = Employer.objects.filter(pk__gte=low, pk__lte=high).count() - len(candidates)
    with transaction.atomic():
        RerateRun.objects.filter(pk=run_id).update(
            chunks_done=F("chunks_done") + 1,
            rated=F("rated") + summary.rated + left_out,
            changed=F("changed") + summary.changed,
            level_changes=F("level_changes") + summary.level_changes,
        )
        RerateRun.objects.filter(
            pk=run_id, chunks_done=F("chunks_total"), finished_at__isnull=True
        ).update(finished_at=timezone.now())
    return summary


def rerate_run_failed(*, run_id: int, error: str) -> None:
    RerateRun.objects.filter(pk=run_id).update(
        failed=True, error=error[:2000], finished_at=timezone.now()
    )


def rerate_run_start(*, workers: int, cause: str, today: datetime.date | None = None) -> RerateRun:
    """Record a run and dispatch its ranges as one Celery group; returns the run."""
    from ..tasks import rerate_range_task

    today = today or timezone.localdate()
    ranges = rerate_ranges(workers=workers)
    run = RerateRun.objects.create(
        cause=cause, today=today, started_at=timezone.now(), chunks_total=len(ranges)
    )
    if not ranges:
        RerateRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
    else:
        group(rerate_range_task.si(run.pk, low, high) for low, high in ranges).apply_async()
    run.refresh_from_db()
    return run


def rerate_run_wait(run: RerateRun, *, poll_seconds: float = 0.5) -> RerateRun:
    """Block until the run finished or failed (the command waits; the sweep does not)."""
    while run.finished_at is None:
        time.sleep(poll_seconds)
        run.refresh_from_db()
    return run


def rerate_due_fanned_out(*, workers: int, today: datetime.date | None = None) -> str:
    """The daily sweep spread over workers: the ranges of one run (cause: time) dispatched and
    not waited for; each range rates what the prefilter names in it (the due, the unrated and
    those whose cases changed since). The day a rule-set switch comes into effect, every employer
    is rerated as in the one-task sweep. Returns the line the task reports."""
    today = today or timezone.localdate()
    switched = ruleset_switches_apply(today=today)
    if switched is not None:
        return switched.line
    run = rerate_run_start(workers=workers, cause="time", today=today)
    if run.finished_at is not None:  # eager tasks, or nothing to rate
        return run_summary(run).line
    return f"run={run.pk} ranges={run.chunks_total}"


def run_summary(run: RerateRun) -> RerateSummary:
    return RerateSummary(run.rated, run.changed, run.level_changes)
