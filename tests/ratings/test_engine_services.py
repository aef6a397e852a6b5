"""Stored ratings: reruns on record changes, bulk reruns, the daily sweep, history, commands."""

import datetime
import io
import threading
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from employers.models import Employer
from employers.signals import employers_imported
from inspections.models import Case
from inspections.signals import cases_changed_in_bulk
from ratings.models import Rating, RatingHistory
from ratings.services import employer_rerate, employers_rerate_bulk, ratings_rerate_due
from ratings.tasks import ratings_rerate_due as ratings_rerate_due_task
from tests.clock import frozen_today
from tests.concurrency import run_at_once
from tests.factories import CaseFactory, EmployerFactory

D = datetime.date
TODAY = D(2026, 11, 15)


today = frozen_today(TODAY)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the after-commit reruns the way a real commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def make_case(employer: Employer, **fields) -> Case:
    fields.setdefault("opened_on", fields.get("decided_on") or D(2026, 3, 1))
    return CaseFactory(employer=employer, **fields)


@pytest.mark.django_db
def test_new_employer_is_rated_a_after_commit(on_commit, today, unit_lqz):
    with on_commit():
        employer = EmployerFactory(unit=unit_lqz)
    rating = Rating.objects.get(employer=employer)
    assert (rating.level, rating.clause_codes, rating.next_change_on) == ("A", "", None)
    assert rating.since == timezone.localtime(employer.created_at).date()  # A since added
    assert RatingHistory.objects.filter(employer=employer, cause="employer_added").count() == 1


@pytest.mark.django_db
def test_saving_a_penalty_turns_the_employer_c_at_once(on_commit, today, employer_lqz):
    with on_commit():
        case = make_case(employer_lqz, decided_on=D(2026, 10, 1), order_issued=True)
    assert Rating.objects.get(employer=employer_lqz).level == "B"
    case.penalty_issued = True
    case.penalty_amount = 20000
    with on_commit():
        case.save()
    rating = Rating.objects.get(employer=employer_lqz)
    assert (rating.level, rating.clause_codes) == ("C", "C4")
    assert rating.clauses[0]["case_ids"] == [case.pk]
    assert rating.clauses[0]["cases"][0]["number"] == case.number
    assert rating.next_change_on == D(2027, 10, 1)
    assert rating.since == D(2026, 10, 1)
    levels = list(
        RatingHistory.objects.filter(employer=employer_lqz)
        .order_by("computed_at", "id")
        .values_list("level", "clause_codes")
    )
    assert levels[-2:] == [("B", ""), ("C", "C4")]


@pytest.mark.django_db
def test_history_only_when_level_or_clauses_change(on_commit, today, employer_lqz):
    with on_commit():
        case = make_case(employer_lqz, decided_on=D(2026, 10, 1), order_issued=True)
    count = RatingHistory.objects.filter(employer=employer_lqz).count()
    case.facts = "补充了案情描述"
    with on_commit():
        case.save()
    employer_rerate(employer_id=employer_lqz.pk, cause="command")
    assert RatingHistory.objects.filter(employer=employer_lqz).count() == count


@pytest.mark.django_db
def test_single_rerate_stays_under_ten_queries(
    on_commit, today, employer_lqz, django_assert_max_num_queries
):
    with on_commit():
        for month in range(1, 6):
            make_case(employer_lqz, decided_on=D(2026, month, 2), penalty_issued=True)
    Rating.objects.filter(employer=employer_lqz).delete()
    # 9 for the rating, 3 for the notice a new C falls due (the calendar's look-ups, the insert)
    with django_assert_max_num_queries(12):
        rating = employer_rerate(employer_id=employer_lqz.pk, cause="command")
    assert rating.clause_codes == "C1;C4"


@pytest.mark.django_db
def test_rating_updates_when_a_case_moves_or_is_deleted(on_commit, today, unit_lqz):
    first, second = EmployerFactory(unit=unit_lqz), EmployerFactory(unit=unit_lqz)
    with on_commit():
        case = make_case(first, decided_on=D(2026, 9, 1), penalty_issued=True)
    assert Rating.objects.get(employer=first).level == "C"
    case = Case.objects.get(pk=case.pk)
    case.employer = second
    with on_commit():
        case.save()
    assert Rating.objects.get(employer=first).level == "A"
    assert Rating.objects.get(employer=second).level == "C"
    with on_commit():
        case.delete()
    assert Rating.objects.get(employer=second).level == "A"


@pytest.mark.django_db
def test_stored_employer_is_looked_up_only_for_an_existing_case(today, employer_lqz):
    """The pre_save look-up behind moving a case: one query for a case that exists, none for a
    new one, and none when a case is merely loaded."""
    from ratings import signals

    case = make_case(employer_lqz, decided_on=D(2026, 9, 1), penalty_issued=True)
    assert case._rating_stored_employer_id is None  # new: nothing stored to look up
    with CaptureQueriesContext(connection) as loading:
        loaded = Case.objects.get(pk=case.pk)
    assert len(loading.captured_queries) == 1
    with CaptureQueriesContext(connection) as looking_up:
        signals._case_saving(sender=Case, instance=loaded)
    assert len(looking_up.captured_queries) == 1
    assert loaded._rating_stored_employer_id == employer_lqz.pk


@pytest.mark.django_db
def test_deadline_passing_is_picked_up_by_rerate_due(on_commit, today, employer_lqz):
    with on_commit():
        make_case(
            employer_lqz,
            decided_on=D(2026, 11, 1),
            order_issued=True,
            order_deadline=D(2026, 11, 20),
        )
    rating = Rating.objects.get(employer=employer_lqz)
    assert (rating.level, rating.next_change_on) == ("B", D(2026, 11, 21))

    today.return_value = D(2026, 11, 20)  # the deadline day: still in time, not yet due
    call_command("rerate", "--due", stdout=io.StringIO())
    assert Rating.objects.get(employer=employer_lqz).level == "B"

    today.return_value = D(2026, 11, 21)
    out = io.StringIO()
    call_command("rerate", "--due", stdout=out)
    rating = Rating.objects.get(employer=employer_lqz)
    assert (rating.level, rating.clause_codes, rating.since) == ("C", "C2", D(2026, 11, 21))
    assert "changed=1" in out.getvalue()
    assert RatingHistory.objects.filter(employer=employer_lqz, cause="time").count() == 1


@pytest.mark.django_db
def test_bulk_rerate_is_set_based_and_idempotent(today, unit_lqz, django_assert_max_num_queries):
    employers = EmployerFactory.create_batch(30, unit=unit_lqz)  # no ratings yet
    for index, employer in enumerate(employers[:10]):
        make_case(employer, decided_on=D(2026, 6, 1), order_issued=True, number=f"B-{index}")
        if index < 3:
            make_case(employer, decided_on=D(2026, 7, 1), penalty_issued=True, number=f"P-{index}")
    Rating.objects.all().delete()
    RatingHistory.objects.all().delete()
    with django_assert_max_num_queries(12):
        summary = employers_rerate_bulk(employer_ids=[e.pk for e in employers], cause="full")
    assert (summary.rated, summary.changed, summary.level_changes) == (30, 30, 30)
    levels = dict(Rating.objects.values_list("employer_id", "level"))
    assert [levels[e.pk] for e in employers] == ["C"] * 3 + ["B"] * 7 + ["A"] * 20
    assert RatingHistory.objects.count() == 30

    again = employers_rerate_bulk(cause="full", chunk_size=7)  # several chunks
    assert (again.rated, again.changed, again.level_changes) == (30, 0, 0)
    assert RatingHistory.objects.count() == 30


@pytest.mark.django_db
def test_bulk_and_single_rerate_agree(today, unit_lqz):
    employer = EmployerFactory(unit=unit_lqz)
    make_case(employer, decided_on=D(2026, 2, 1), order_issued=True, order_deadline=D(2026, 3, 1))
    make_case(employer, decided_on=D(2026, 4, 1), criminal=True, decision_issued=True)
    employers_rerate_bulk(employer_ids=[employer.pk], cause="full")
    bulk = Rating.objects.values("level", "clause_codes", "clauses", "since", "next_change_on").get(
        employer=employer
    )
    Rating.objects.all().delete()
    employer_rerate(employer_id=employer.pk, cause="command")
    single = Rating.objects.values(
        "level", "clause_codes", "clauses", "since", "next_change_on"
    ).get(employer=employer)
    assert bulk == single
    assert bulk["clause_codes"] == "C2;C7"


@pytest.mark.django_db
def test_import_signals_rerate_in_bulk(on_commit, today, unit_lqz):
    employers = EmployerFactory.create_batch(3, unit=unit_lqz)
    Rating.objects.all().delete()
    with on_commit():
        employers_imported.send(sender=Employer, employer_ids=[e.pk for e in employers])
    assert Rating.objects.filter(level="A").count() == 3
    # a ledger import writes cases without per-row signals, then says which employers changed
    Case.objects.bulk_create(
        [
            Case(
                number="西青人社监〔2026〕901号",
                employer=employers[0],
                source=Case.Source.PATROL,
                opened_on=D(2026, 5, 1),
                decided_on=D(2026, 5, 10),
                penalty_issued=True,
            )
        ]
    )
    with on_commit():
        cases_changed_in_bulk.send(sender=Case, employer_ids=[employers[0].pk])
    assert Rating.objects.get(employer=employers[0]).level == "C"
    history = RatingHistory.objects.filter(employer=employers[0]).order_by("-computed_at", "-id")
    assert history[0].cause == "case_import"


@pytest.mark.django_db
def test_due_sweep_also_rates_employers_left_unrated(today, unit_lqz):
    Employer.objects.bulk_create(  # like seed_demo: no post_save signal
        [Employer(credit_code="911201117706402073", name="天津无评级有限公司", unit=unit_lqz)]
    )
    summary = ratings_rerate_due()
    assert summary.changed == 1
    assert Rating.objects.get(employer__credit_code="911201117706402073").level == "A"
    assert ratings_rerate_due().changed == 0


@pytest.mark.django_db
def test_celery_task_runs_the_sweep(today, unit_lqz):
    Employer.objects.bulk_create(
        [Employer(credit_code="91350100M000100Y43", name="天津任务测试有限公司", unit=unit_lqz)]
    )
    assert ratings_rerate_due_task.delay().get() == "rated=1 changed=1 history=1"


@pytest.mark.django_db
def test_rerate_command_one_employer_and_errors(on_commit, today, employer_lqz):
    with on_commit():
        make_case(employer_lqz, decided_on=D(2026, 9, 1), serious=True, serious_reason="拖欠工资")
    Rating.objects.all().delete()
    out = io.StringIO()
    call_command("rerate", "--credit-code", employer_lqz.credit_code.lower(), stdout=out)
    assert out.getvalue().strip() == f"{employer_lqz.credit_code} level=C clauses=C6"
    with pytest.raises(CommandError, match="no employer"):
        call_command("rerate", "--credit-code", "92370102MA3M9AG94X")
    with pytest.raises(CommandError):
        call_command("rerate")  # one of --all, --due, --credit-code is required
    out = io.StringIO()
    call_command("rerate", "--all", stdout=out)
    assert out.getvalue().startswith("rated=")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the file)"
)
def test_concurrent_reruns_leave_one_rating_and_one_history_entry(unit_lqz):
    employer = EmployerFactory(unit=unit_lqz)
    Rating.objects.filter(employer=employer).delete()
    RatingHistory.objects.filter(employer=employer).delete()
    make_case(employer, decided_on=D(2026, 9, 1), penalty_issued=True)
    Rating.objects.filter(employer=employer).delete()
    RatingHistory.objects.filter(employer=employer).delete()
    barrier = threading.Barrier(4)

    def rerun():
        barrier.wait()
        employer_rerate(employer_id=employer.pk, cause="command", today=TODAY)

    assert run_at_once(rerun, 4) == []
    assert Rating.objects.filter(employer=employer).count() == 1
    assert RatingHistory.objects.filter(employer=employer).count() == 1


@pytest.mark.django_db
def test_queries_of_bulk_rerate_do_not_grow_with_employers(today, unit_lqz):
    def queries_for(count: int) -> int:
        employers = EmployerFactory.create_batch(count, unit=unit_lqz)
        Rating.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            employers_rerate_bulk(employer_ids=[e.pk for e in employers], cause="full")
        return len(captured.captured_queries)

    assert queries_for(5) == queries_for(50)


def _ratings_and_history() -> tuple[list[tuple], list[tuple]]:
    """Every rating and history row, without ids and write times (two runs differ there)."""
    ratings = list(
        Rating.objects.order_by("employer_id").values_list(
            "employer_id",
            "level",
            "clause_codes",
            "clauses",
            "ruleset_version",
            "since",
            "next_change_on",
        )
    )
    history = list(
        RatingHistory.objects.order_by("employer_id", "computed_at").values_list(
            "employer_id", "level", "clause_codes", "clauses", "ruleset_version", "cause"
        )
    )
    return ratings, history


@pytest.mark.django_db
def test_first_ratings_in_sql_match_the_python_path(today, unit_lqz, unit_ylq):
    """The set-based first rating (PostgreSQL) writes what the rules would, row for row."""
    quiet = EmployerFactory.create_batch(6, unit=unit_lqz) + EmployerFactory.create_batch(
        3, unit=unit_ylq
    )
    # Added late in the UTC evening: the next day in the bureau's time zone.
    Employer.objects.filter(pk=quiet[0].pk).update(
        created_at=datetime.datetime(2026, 3, 1, 17, 30, tzinfo=datetime.UTC)
    )
    Employer.objects.filter(pk=quiet[1].pk).update(
        created_at=datetime.datetime(2026, 3, 1, 15, 59, tzinfo=datetime.UTC)
    )
    sanctioned = EmployerFactory.create_batch(3, unit=unit_lqz)
    make_case(sanctioned[0], decided_on=D(2026, 6, 1), order_issued=True, number="B-1")
    make_case(sanctioned[1], decided_on=D(2026, 7, 1), penalty_issued=True, number="P-1")
    make_case(sanctioned[2], decided_on=D(2019, 7, 1), penalty_issued=True, number="P-2")
    employer_ids = [e.pk for e in quiet + sanctioned]

    def run(*, in_sql: bool, **options) -> tuple[list[tuple], list[tuple]]:
        Rating.objects.all().delete()
        RatingHistory.objects.all().delete()
        # One employer without cases already rated by an older rule set: Python rerates it.
        Rating.objects.create(
            employer=quiet[2],
            level="A",
            ruleset_version="old",
            since=D(2020, 1, 1),
            computed_at=timezone.now(),
        )
        with mock.patch("ratings.services.bulk.first_ratings_in_sql", return_value=in_sql):
            summary = employers_rerate_bulk(cause="full", **options)
        assert (summary.rated, summary.changed) == (len(employer_ids), len(employer_ids))
        assert summary.level_changes == len(employer_ids) - 1  # quiet[2] stays A
        return _ratings_and_history()

    python_path = run(in_sql=False)
    sql_path = run(in_sql=connection.vendor == "postgresql")
    sql_chunked = run(in_sql=connection.vendor == "postgresql", chunk_size=4)
    assert sql_path == python_path
    assert sql_chunked == python_path
    since = {row[0]: row[5] for row in sql_path[0]}
    assert since[quiet[0].pk] == D(2026, 3, 2)
    assert since[quiet[1].pk] == D(2026, 3, 1)
    levels = {row[0]: row[1] for row in sql_path[0]}
    assert [levels[e.pk] for e in sanctioned] == ["B", "C", "A"]
    # A rating and its history entry share the write time.
    for rating in Rating.objects.exclude(employer=quiet[2]):
        assert RatingHistory.objects.get(employer=rating.employer_id).computed_at == (
            rating.computed_at
        )


@pytest.mark.django_db
def test_bulk_rerate_analyses_ratings_after_large_changes(today, unit_lqz):
    EmployerFactory.create_batch(4, unit=unit_lqz)
    Rating.objects.all().delete()
    with mock.patch("ratings.services.bulk.analyze_ratings_if_changed") as analyze:
        employers_rerate_bulk(cause="full")
        employers_rerate_bulk(cause="full")
    assert [c.args for c in analyze.call_args_list] == [(4,), (0,)]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="ANALYZE is PostgreSQL's")
def test_analyse_only_when_a_large_share_changed(today, unit_lqz):
    from ratings.services.bulk import analyze_ratings_if_changed

    EmployerFactory.create_batch(40, unit=unit_lqz)
    employers_rerate_bulk(cause="full")
    assert Rating.objects.count() == 40
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ratings_rating")
    with CaptureQueriesContext(connection) as captured:
        assert analyze_ratings_if_changed(1) is False  # 1 of 40: under 5%
        assert analyze_ratings_if_changed(3) is True
        assert analyze_ratings_if_changed(0) is False
    assert [q["sql"].startswith("ANALYZE") for q in captured.captured_queries] == [
        False,
        False,
        True,
    ]
