"""A real Celery worker (in-process, solo pool) against the real Redis and PostgreSQL of CI.

Run locally with, for example:
CI_SERVICES=1 REDIS_URL=redis://127.0.0.1:6379/14 \
DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiqing_supervision \
.venv/bin/pytest -q tests/supervision/test_worker_integration.py
"""

import os
import time

import pytest
from django.conf import settings

from supervision.models import CheckCode, CoverageCheck, CoverageResult, CoverageRun
from supervision.months import previous_month
from supervision.tasks import coverage_check_previous_month
from xiqing_credit.celery import app

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        os.environ.get("CI_SERVICES") != "1",
        reason="needs the real Redis and PostgreSQL: set CI_SERVICES=1 (.ci/run does)",
    ),
]


def wait_for_runs_done(count: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        finished = CoverageRun.objects.filter(
            status__in=[CoverageRun.Status.DONE, CoverageRun.Status.FAILED]
        )
        if finished.count() >= count:
            assert not finished.filter(status=CoverageRun.Status.FAILED).exists(), list(
                finished.values_list("error", flat=True)
            )
            return
        time.sleep(0.2)
    raise AssertionError(f"the worker did not finish {count} run(s) in {timeout} s")


@pytest.fixture
def real_broker():
    """Send through Redis instead of running in-process (the test settings are eager)."""
    from celery.contrib.testing.worker import start_worker

    assert settings.CELERY_BROKER_URL.startswith("redis://")
    saved = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False
    app.loader.import_default_modules()
    with app.connection_for_write() as connection:
        # Leftovers of an interrupted earlier run must not be consumed by this test.
        connection.default_channel.queue_purge(app.conf.task_default_queue)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.mark.django_db(transaction=True)
def test_real_worker_stores_13_unit_results_and_a_rerun_leaves_13(real_broker):
    month = previous_month()

    coverage_check_previous_month.delay()
    wait_for_runs_done(1)
    assert CoverageResult.objects.filter(month=month).count() == 13
    first = set(CoverageResult.objects.values_list("pk", flat=True))

    coverage_check_previous_month.delay()
    wait_for_runs_done(2)
    assert CoverageResult.objects.filter(month=month).count() == 13
    assert CoverageCheck.objects.filter(result__month=month).count() == 13 * len(CheckCode)
    assert set(CoverageResult.objects.values_list("pk", flat=True)).isdisjoint(first)
    assert CoverageRun.objects.filter(status=CoverageRun.Status.DONE).count() == 2
