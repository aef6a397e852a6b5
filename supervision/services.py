"""Writes of the supervision app: coverage runs, the daily digest, the scheduler heartbeat."""

import contextlib
import datetime
import logging
import threading
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from employers.models import Unit

from .checks import CHECKS, measure_all
from .models import CoverageCheck, CoverageResult, CoverageRun, SchedulerHeartbeat
from .months import Period, format_month

logger = logging.getLogger(__name__)

# First key of the PostgreSQL advisory lock taken while a month's results are replaced; the
# second key is the month (yyyymm). Any constant unlikely to collide with other apps' locks.
_ADVISORY_LOCK_NAMESPACE = 0x58510006

HEARTBEAT_NAME = "beat"

# A running coverage run beats this often; one silent for the timeout is taken for dead.
# Settings COVERAGE_RUN_HEARTBEAT_SECONDS and COVERAGE_RUN_STALE_SECONDS override them.
RUN_HEARTBEAT_SECONDS = 30
RUN_STALE_SECONDS = 5 * 60


def _run_heartbeat_seconds() -> float:
    return float(getattr(settings, "COVERAGE_RUN_HEARTBEAT_SECONDS", RUN_HEARTBEAT_SECONDS))


def run_stale_timeout() -> datetime.timedelta:
    return datetime.timedelta(
        seconds=float(getattr(settings, "COVERAGE_RUN_STALE_SECONDS", RUN_STALE_SECONDS))
    )


@contextlib.contextmanager
def _beating(run_id: int) -> Iterator[None]:
    """Beat for the run from a thread of its own while the body measures. The measuring
    happens in one long transaction, whose writes nobody sees until it commits; the thread's
    own connection makes each beat visible at once."""
    stop = threading.Event()
    interval = _run_heartbeat_seconds()

    def beat() -> None:
        try:
            while not stop.wait(interval):
                try:
                    CoverageRun.objects.filter(pk=run_id).update(heartbeat_at=timezone.now())
                except Exception:  # a missed beat is not worth killing the run for
                    logger.warning("coverage run %s: heartbeat not written", run_id, exc_info=True)
        finally:
            close_old_connections()
            connection.close()

    thread = threading.Thread(target=beat, name=f"coverage-run-{run_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=interval + 5)


def coverage_runs_fail_stale(*, now: datetime.datetime | None = None) -> int:
    """Mark failed every pending run whose worker stopped beating (or that no worker ever
    picked up) within the timeout, so a rerun can start at once. Their previous results are
    untouched: a run only replaces results when it commits."""
    now = now or timezone.now()
    timeout = run_stale_timeout()
    stale = list(CoverageRun.objects.stale(now=now, timeout=timeout).values_list("pk", flat=True))
    if not stale:
        return 0
    minutes = max(1, round(timeout.total_seconds() / 60))
    failed = (
        CoverageRun.objects.filter(pk__in=stale)
        .pending()
        .update(
            status=CoverageRun.Status.FAILED,
            finished_at=now,
            error=_("The worker stopped: no sign of life for %(minutes)d minute(s).")
            % {"minutes": minutes},
        )
    )
    logger.warning("coverage runs marked failed after their worker stopped: %s", stale)
    return failed


def _lock_month(month: datetime.date) -> None:
    """Serialise runs of the same month (inside the caller's transaction).

    Two workers replacing the same month would otherwise both delete nothing, both insert, and
    the later one would fail on the (unit, month) constraint after doing all its work. With the
    lock the second waits, then replaces the first one's results. SQLite has no advisory locks
    but takes a database-wide write lock, which gives the same order."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [_ADVISORY_LOCK_NAMESPACE, month.year * 100 + month.month],
            )


def coverage_run_create(
    *, month: datetime.date, source: str, requested_by: AbstractBaseUser | None = None
) -> CoverageRun:
    return CoverageRun.objects.create(
        month=month.replace(day=1), source=source, requested_by=requested_by
    )


def coverage_check_month(
    *, month: datetime.date, run: CoverageRun | None = None, today: datetime.date | None = None
) -> list[CoverageResult]:
    """Measure every check for all 13 units and replace the month's results, all in one
    transaction: a run killed halfway leaves the previous results untouched, a finished one
    leaves exactly one complete result per unit."""
    period = Period.of(month, today=today)
    units = list(Unit.objects.order_by("code"))
    now = timezone.now()
    with transaction.atomic():
        _lock_month(period.month)
        outcomes = measure_all(period, [unit.pk for unit in units])
        CoverageCheck.objects.filter(result__month=period.month).delete()
        CoverageResult.objects.filter(month=period.month).delete()
        results = CoverageResult.objects.bulk_create(
            [
                CoverageResult(
                    unit=unit,
                    month=period.month,
                    run=run,
                    as_of=period.as_of,
                    checks_passed=sum(o.passed for o in outcomes[unit.pk].values()),
                    checks_total=len(outcomes[unit.pk]),
                    computed_at=now,
                )
                for unit in units
            ]
        )
        if any(result.pk is None for result in results):
            # Backends without RETURNING on bulk insert: read the new ids back.
            by_unit = dict(
                CoverageResult.objects.filter(month=period.month).values_list("unit_id", "id")
            )
            for result in results:
                result.pk = by_unit[result.unit_id]
        CoverageCheck.objects.bulk_create(
            [
                CoverageCheck(
                    result=result,
                    code=check.code,
                    figure=outcome.figure,
                    threshold=outcome.threshold,
                    total=outcome.total,
                    passed=outcome.passed,
                    subject_ids=outcome.subject_ids,
                    subject_count=len(outcome.subject_ids),
                )
                for result in results
                for check in CHECKS
                if (outcome := outcomes[result.unit_id].get(check.code)) is not None
            ],
            batch_size=500,
        )
    logger.info("coverage %s: %d unit results", format_month(period.month), len(results))
    return results


def coverage_run_execute(*, run_id: int, today: datetime.date | None = None) -> CoverageRun:
    """Execute a queued run. Safe to run twice: the second execution of a finished run does
    nothing, a failed or interrupted one is simply measured again."""
    run = CoverageRun.objects.get(pk=run_id)
    if run.status == CoverageRun.Status.DONE:
        return run
    run.status = CoverageRun.Status.RUNNING
    run.started_at = run.heartbeat_at = timezone.now()
    run.error = ""
    run.save(update_fields=["status", "started_at", "heartbeat_at", "error"])
    try:
        with _beating(run.pk):
            coverage_check_month(month=run.month, run=run, today=today)
    except Exception as exc:
        run.status = CoverageRun.Status.FAILED
        run.finished_at = timezone.now()
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        run.save(update_fields=["status", "finished_at", "error"])
        raise
    run.status = CoverageRun.Status.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])
    return run


def scheduler_heartbeat_record() -> SchedulerHeartbeat:
    heartbeat, _created = SchedulerHeartbeat.objects.update_or_create(
        name=HEARTBEAT_NAME, defaults={"beat_at": timezone.now()}
    )
    return heartbeat
