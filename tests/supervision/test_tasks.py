import datetime

import kombu.exceptions
import pytest
from celery.schedules import crontab
from django.utils import timezone

from supervision import tasks
from supervision.models import CoverageResult, CoverageRun, SchedulerHeartbeat
from supervision.months import previous_month
from xiqing_credit.celery import app


def test_beat_schedule_is_in_shanghai_time_with_the_three_jobs():
    assert app.conf.timezone == "Asia/Shanghai"
    schedule = app.conf.beat_schedule
    by_task = {entry["task"]: entry["schedule"] for entry in schedule.values()}
    assert by_task["ratings.ratings_rerate_due"] == crontab(minute=0, hour=1)
    assert by_task["supervision.tasks.coverage_check_previous_month"] == crontab(
        minute=0, hour=2, day_of_month=1
    )
    assert by_task["supervision.tasks.digest_send_daily"] == crontab(minute=30, hour=7)
    assert by_task["supervision.tasks.scheduler_heartbeat"] == 300


def test_every_task_in_the_schedule_is_registered():
    """A misspelt name would only show as "unregistered task" in the worker log at 01:00."""
    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_tasks_retry_on_broker_errors_and_have_time_limits():
    for task in (
        tasks.coverage_check_previous_month,
        tasks.coverage_run_execute_task,
        tasks.digest_send_daily,
    ):
        assert kombu.exceptions.OperationalError in task.autoretry_for
        assert task.max_retries
        assert task.time_limit and task.soft_time_limit < task.time_limit


@pytest.mark.django_db
def test_monthly_task_runs_eagerly_for_the_previous_month():
    result = tasks.coverage_check_previous_month.delay()
    month = previous_month()
    assert result.get().endswith("done")
    assert CoverageResult.objects.filter(month=month).count() == 13
    run = CoverageRun.objects.get()
    assert (run.month, run.source, run.status) == (
        month,
        CoverageRun.Source.SCHEDULE,
        CoverageRun.Status.DONE,
    )
    tasks.coverage_check_previous_month.delay()
    assert CoverageResult.objects.filter(month=month).count() == 13
    assert CoverageRun.objects.count() == 2


@pytest.mark.django_db
def test_run_task_takes_the_run_id():
    run = CoverageRun.objects.create(
        month=datetime.date(2025, 10, 1), source=CoverageRun.Source.DASHBOARD
    )
    tasks.coverage_run_execute_task.delay(run.pk)
    run.refresh_from_db()
    assert run.status == CoverageRun.Status.DONE
    assert run.results.count() == 13


@pytest.mark.django_db
def test_heartbeat_task_records_the_time():
    tasks.scheduler_heartbeat.delay()
    beat = SchedulerHeartbeat.objects.get()
    assert timezone.now() - beat.beat_at < datetime.timedelta(minutes=1)
    tasks.scheduler_heartbeat.delay()
    assert SchedulerHeartbeat.objects.count() == 1
