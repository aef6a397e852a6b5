"""A coverage run whose worker stopped heart-beating is marked failed after the timeout, and
the dashboard can rerun the month at once."""

import datetime
import threading

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision import services
from supervision.models import CoverageResult, CoverageRun
from supervision.services import coverage_runs_fail_stale

pytestmark = pytest.mark.django_db

OCTOBER = datetime.date(2025, 10, 1)


def _running(*, silent_for: datetime.timedelta) -> CoverageRun:
    now = timezone.now()
    return CoverageRun.objects.create(
        month=OCTOBER,
        source=CoverageRun.Source.SCHEDULE,
        status=CoverageRun.Status.RUNNING,
        requested_at=now - silent_for,
        started_at=now - silent_for,
        heartbeat_at=now - silent_for,
    )


def test_a_run_without_heartbeat_past_the_timeout_is_failed(settings):
    settings.COVERAGE_RUN_STALE_SECONDS = 300
    dead = _running(silent_for=datetime.timedelta(seconds=301))
    alive = _running(silent_for=datetime.timedelta(seconds=60))
    assert coverage_runs_fail_stale() == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == CoverageRun.Status.FAILED and dead.error
    assert dead.finished_at is not None
    assert alive.status == CoverageRun.Status.RUNNING


def test_a_queued_run_no_worker_picked_up_is_failed_too(settings):
    settings.COVERAGE_RUN_STALE_SECONDS = 300
    run = CoverageRun.objects.create(
        month=OCTOBER,
        source=CoverageRun.Source.DASHBOARD,
        requested_at=timezone.now() - datetime.timedelta(minutes=10),
    )
    coverage_runs_fail_stale()
    run.refresh_from_db()
    assert run.status == CoverageRun.Status.FAILED


def test_the_dashboard_reruns_a_month_whose_worker_died_at_once(
    client_supervisor, settings, django_capture_on_commit_callbacks
):
    settings.COVERAGE_RUN_STALE_SECONDS = 300
    dead = _running(silent_for=datetime.timedelta(minutes=6))
    page = client_supervisor.get(reverse("supervision:dashboard"), {"month": "2025-10"})
    assert page.status_code == 200
    dead.refresh_from_db()
    assert dead.status == CoverageRun.Status.FAILED
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_supervisor.post(reverse("supervision:run"), {"month": "2025-10"})
    assert response.status_code == 302
    assert len(callbacks) == 1
    rerun = CoverageRun.objects.exclude(pk=dead.pk).get()
    assert rerun.status == CoverageRun.Status.DONE
    assert CoverageResult.objects.filter(month=OCTOBER, run=rerun).count() == 13


def test_a_live_run_still_holds_the_month(client_supervisor, settings):
    settings.COVERAGE_RUN_STALE_SECONDS = 300
    _running(silent_for=datetime.timedelta(seconds=30))
    client_supervisor.post(reverse("supervision:run"), {"month": "2025-10"})
    assert CoverageRun.objects.count() == 1


def test_the_worker_beats_while_it_measures(monkeypatch):
    """The heartbeat thread writes while the checks run; stopping it is part of finishing."""
    beats: list[int] = []
    measuring = threading.Event()

    class Runs:
        @staticmethod
        def filter(pk: int):
            class Update:
                @staticmethod
                def update(**fields) -> int:
                    beats.append(pk)
                    measuring.set()
                    return 1

            return Update

    monkeypatch.setattr(services.CoverageRun, "objects", Runs)
    monkeypatch.setattr(services, "_run_heartbeat_seconds", lambda: 0.01)
    with services._beating(42):
        assert measuring.wait(2)
    count = len(beats)
    assert count >= 1 and set(beats) == {42}
    threading.Event().wait(0.05)
    assert len(beats) == count  # stopped with the run
