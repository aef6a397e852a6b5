"""Celery tasks of the supervision app: thin wrappers that take ids and call one service.

Every task is safe to run twice. They retry on transient errors of the broker (the digest and
the run-now fan-out publish messages), of the database connection and, for the digest, of the
mail server; business errors are not retried.
"""

import datetime
import smtplib

import kombu.exceptions
import redis.exceptions
from celery import shared_task
from django.db import OperationalError as DatabaseOperationalError
from django.utils import timezone

from .digest import digest_send_all
from .models import CoverageRun
from .months import format_month, previous_month
from .services import (
    coverage_run_create,
    coverage_run_execute,
    coverage_runs_fail_stale,
    scheduler_heartbeat_record,
)

TRANSIENT_ERRORS = (
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    DatabaseOperationalError,
)
RETRY_OPTIONS = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(
    name="supervision.tasks.coverage_run_execute",
    soft_time_limit=18 * 60,
    time_limit=20 * 60,
    **RETRY_OPTIONS,
)
def coverage_run_execute_task(run_id: int) -> str:
    run = coverage_run_execute(run_id=run_id)
    return f"{format_month(run.month)} {run.status}"


@shared_task(
    name="supervision.tasks.coverage_check_previous_month",
    soft_time_limit=18 * 60,
    time_limit=20 * 60,
    **RETRY_OPTIONS,
)
def coverage_check_previous_month() -> str:
    """Beat, on the 1st at 02:00: the checks of the month that just ended."""
    run = coverage_run_create(month=previous_month(), source=CoverageRun.Source.SCHEDULE)
    run = coverage_run_execute(run_id=run.pk)
    return f"{format_month(run.month)} {run.status}"


@shared_task(
    name="supervision.tasks.digest_send_daily",
    soft_time_limit=9 * 60,
    time_limit=10 * 60,
    autoretry_for=(*TRANSIENT_ERRORS, smtplib.SMTPException, ConnectionError),
    retry_backoff=60,
    retry_backoff_max=900,
    retry_jitter=True,
    max_retries=5,
)
def digest_send_daily(day: str | None = None) -> str:
    """Beat, daily at 07:30. A retry sends only to those not yet served today."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    sent = digest_send_all(today=today)
    return f"{today.isoformat()} digests sent={sent}"


@shared_task(
    name="supervision.tasks.scheduler_heartbeat",
    soft_time_limit=50,
    time_limit=60,
    ignore_result=True,
)
def scheduler_heartbeat() -> None:
    """Beat, every 5 minutes. Written by a worker, so a fresh heartbeat proves beat, the broker
    and a worker all work. Runs whose worker died are marked failed on the same beat."""
    scheduler_heartbeat_record()
    coverage_runs_fail_stale()
