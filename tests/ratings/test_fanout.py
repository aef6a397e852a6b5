"""rerate --all --workers N: the employers cut into id ranges, one Celery task each (eager in
tests), the run recorded with its progress; the same ratings as the inline rerate."""

import io

import pytest
from django.core.management import call_command

from ratings.models import Rating, RerateRun
from ratings.services import employers_rerate_bulk, fanout
from tests.factories import CaseFactory, EmployerFactory

pytestmark = pytest.mark.django_db


def _ratings() -> dict:
    return dict(Rating.objects.values_list("employer_id", "level"))


def test_ranges_cover_every_employer_once():
    employers = [EmployerFactory() for _ in range(7)]
    ranges = fanout.rerate_ranges(workers=2, minimum=2)
    assert len(ranges) == 3  # 7 employers, at least 2 per range
    covered = [pk for low, high in ranges for pk in range(low, high + 1)]
    assert sorted(covered) == list(range(employers[0].pk, employers[-1].pk + 1))


def test_fanned_out_run_rates_like_the_inline_rerate_and_records_progress():
    employers = [EmployerFactory() for _ in range(6)]
    CaseFactory(employer=employers[0], order_issued=True, decided_on="2026-03-05")
    Rating.objects.all().delete()
    run = fanout.rerate_run_wait(fanout.rerate_run_start(workers=2, cause="full"))
    assert run.finished_at is not None and not run.failed
    assert run.chunks_done == run.chunks_total >= 1
    assert (run.rated, run.changed) == (6, 6)
    fanned = _ratings()
    Rating.objects.all().delete()
    employers_rerate_bulk(cause="full")
    assert _ratings() == fanned
    # a second run finds nothing to do: each chunk is idempotent
    again = fanout.rerate_run_wait(fanout.rerate_run_start(workers=2, cause="full"))
    assert (again.rated, again.changed) == (6, 0)


def test_command_with_workers_prints_the_summary_line():
    for _ in range(3):
        EmployerFactory()
    Rating.objects.all().delete()
    out = io.StringIO()
    call_command("rerate", "--all", "--workers", "2", stdout=out)
    assert out.getvalue().strip() == "rated=3 changed=3 history=3"
    assert RerateRun.objects.get().chunks_done >= 1


def test_a_failing_chunk_marks_the_run_failed(monkeypatch):
    EmployerFactory()
    Rating.objects.all().delete()

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(fanout, "employers_rerate_bulk", broken)
    with pytest.raises(RuntimeError):
        fanout.rerate_run_start(workers=1, cause="full")
    run = RerateRun.objects.get()
    assert run.failed and "database went away" in run.error
    assert run.finished_at is not None


def test_daily_sweep_spread_over_workers_rates_what_the_one_task_sweep_rates(settings):
    from ratings.services import ratings_rerate_due
    from ratings.tasks import ratings_rerate_due as sweep_task

    employers = [EmployerFactory() for _ in range(5)]
    CaseFactory(employer=employers[1], order_issued=True, decided_on="2026-03-05")
    Rating.objects.all().delete()
    settings.RERATE_SWEEP_WORKERS = 2
    assert sweep_task.delay().get() == "rated=5 changed=5 history=5"
    run = RerateRun.objects.get()
    assert run.cause == "time" and run.chunks_done == run.chunks_total >= 1
    fanned = _ratings()
    assert len(fanned) == 5
    # the same ratings as the sweep in one task
    Rating.objects.all().delete()
    ratings_rerate_due()
    assert _ratings() == fanned
    # nothing due the second time: no employer rated twice
    assert sweep_task.delay().get() == "rated=5 changed=0 history=0"
