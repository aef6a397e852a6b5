"""Writes of the supervision app: coverage runs, the daily digest, the scheduler heartbeat."""

import datetime
import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils import timezone

from employers.models import Unit

from .checks import CHECKS, measure_all
from .models import CoverageCheck, CoverageResult, CoverageRun, SchedulerHeartbeat
from .months import Period, format_month

logger = logging.getLogger(__name__)

# First key of the PostgreSQL advisory lock taken while a month's results are replaced; the
# second key is the month (yyyymm). Any constant unlikely to collide with other apps' locks.
_ADVISORY_LOCK_NAMESPACE = 0x58510006

HEARTBEAT_NAME = "beat"


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
    run.started_at = timezone.now()
    run.error = ""
    run.save(update_fields=["status", "started_at", "error"])
    try:
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
