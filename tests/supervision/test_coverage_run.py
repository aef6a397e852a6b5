import datetime
import os
import threading

import pytest
from django.db import connection

from employers.models import Unit
from supervision import checks
from supervision.models import CheckCode, CoverageCheck, CoverageResult, CoverageRun
from supervision.services import _lock_month as real_lock
from supervision.services import coverage_check_month, coverage_run_create, coverage_run_execute
from tests.concurrency import run_at_once

from .factories import employer_added_on

OCTOBER = datetime.date(2025, 10, 1)
TODAY = datetime.date(2026, 1, 15)


@pytest.mark.django_db
def test_a_month_stores_one_result_per_unit_with_every_check(unit_lqz):
    for day in range(1, 7):
        employer_added_on(datetime.date(2025, 10, day), unit=unit_lqz)

    results = coverage_check_month(month=OCTOBER, today=TODAY)

    assert len(results) == 13
    assert CoverageResult.objects.filter(month=OCTOBER).count() == 13
    assert CoverageCheck.objects.filter(result__month=OCTOBER).count() == 13 * len(CheckCode)
    lqz = CoverageResult.objects.get(month=OCTOBER, unit=unit_lqz)
    new = lqz.checks.get(code=CheckCode.NEW_EMPLOYERS)
    assert (new.figure, new.threshold, new.passed) == (6, 5, True)
    assert lqz.checks_total == len(CheckCode)
    assert lqz.checks_passed == lqz.checks.filter(passed=True).count()
    assert lqz.as_of == datetime.date(2025, 10, 31)


@pytest.mark.django_db
def test_a_rerun_replaces_the_month_and_leaves_other_months_alone(unit_lqz):
    coverage_check_month(month=OCTOBER, today=TODAY)
    coverage_check_month(month=datetime.date(2025, 9, 1), today=TODAY)
    failing = CoverageResult.objects.get(month=OCTOBER, unit=unit_lqz)
    assert not failing.checks.get(code=CheckCode.NEW_EMPLOYERS).passed
    for day in range(1, 6):
        employer_added_on(datetime.date(2025, 10, day), unit=unit_lqz)

    coverage_check_month(month=OCTOBER, today=TODAY)

    assert CoverageResult.objects.filter(month=OCTOBER).count() == 13
    assert CoverageResult.objects.filter(month=datetime.date(2025, 9, 1)).count() == 13
    assert CoverageCheck.objects.count() == 2 * 13 * len(CheckCode)
    fresh = CoverageResult.objects.get(month=OCTOBER, unit=unit_lqz)
    assert fresh.checks.get(code=CheckCode.NEW_EMPLOYERS).passed


@pytest.mark.django_db
def test_a_run_killed_halfway_leaves_the_previous_complete_result(unit_lqz, monkeypatch):
    coverage_check_month(month=OCTOBER, today=TODAY)
    before = set(CoverageCheck.objects.values_list("pk", flat=True))
    for day in range(1, 6):
        employer_added_on(datetime.date(2025, 10, day), unit=unit_lqz)

    calls = []

    def dies_halfway(period, unit_ids):
        calls.append(period)
        raise SystemExit("worker killed")

    broken = list(checks.CHECKS)
    broken[3] = checks.CheckDefinition(CheckCode.COMPLAINTS, dies_halfway, "complaint", "<=")
    monkeypatch.setattr(checks, "CHECKS", broken)
    monkeypatch.setattr("supervision.services.CHECKS", broken)
    with pytest.raises(SystemExit):
        coverage_check_month(month=OCTOBER, today=TODAY)

    assert calls
    assert set(CoverageCheck.objects.values_list("pk", flat=True)) == before
    assert CoverageResult.objects.filter(month=OCTOBER).count() == 13

    monkeypatch.undo()
    coverage_check_month(month=OCTOBER, today=TODAY)
    assert CoverageResult.objects.filter(month=OCTOBER).count() == 13
    assert CoverageCheck.objects.filter(result__month=OCTOBER).count() == 13 * len(CheckCode)
    assert (
        CoverageResult.objects.get(month=OCTOBER, unit=unit_lqz)
        .checks.get(code=CheckCode.NEW_EMPLOYERS)
        .passed
    )


@pytest.mark.django_db
def test_run_execute_records_done_and_is_safe_to_repeat():
    run = coverage_run_create(month=OCTOBER, source=CoverageRun.Source.COMMAND)
    assert run.status == CoverageRun.Status.QUEUED

    coverage_run_execute(run_id=run.pk, today=TODAY)
    run.refresh_from_db()
    assert run.status == CoverageRun.Status.DONE
    assert run.started_at and run.finished_at
    first = set(CoverageResult.objects.values_list("pk", flat=True))
    assert CoverageResult.objects.filter(run=run).count() == 13

    coverage_run_execute(run_id=run.pk, today=TODAY)
    assert set(CoverageResult.objects.values_list("pk", flat=True)) == first


@pytest.mark.django_db
def test_run_execute_records_a_failure(monkeypatch):
    def boom(*, month, run, today):
        raise RuntimeError("database went away")

    monkeypatch.setattr("supervision.services.coverage_check_month", boom)
    run = coverage_run_create(month=OCTOBER, source=CoverageRun.Source.COMMAND)
    with pytest.raises(RuntimeError):
        coverage_run_execute(run_id=run.pk, today=TODAY)
    run.refresh_from_db()
    assert run.status == CoverageRun.Status.FAILED
    assert "database went away" in run.error


ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.mark.skipif(
    not ON_POSTGRES,
    reason="concurrent writers need PostgreSQL (SQLite serialises the whole database, and "
    "its in-memory test database is not shared between threads)",
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_same_month_at_once_leave_one_result(monkeypatch):
    """Both runs measure at the same moment (a barrier inside the first check); the advisory
    lock makes the second wait and replace the first, never collide on the constraint."""
    assert connection.vendor == "postgresql"
    barrier = threading.Barrier(2, timeout=30)

    def lock_after_barrier(month):
        # Both threads are inside their transaction when they pass here, then race for the lock.
        barrier.wait()
        real_lock(month)

    monkeypatch.setattr("supervision.services._lock_month", lock_after_barrier)

    def worker():
        coverage_check_month(month=OCTOBER, today=TODAY)

    assert run_at_once(worker, 2, timeout=60) == []
    assert CoverageResult.objects.filter(month=OCTOBER).count() == Unit.objects.count() == 13
    assert CoverageCheck.objects.filter(result__month=OCTOBER).count() == 13 * len(CheckCode)
