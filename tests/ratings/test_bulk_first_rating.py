"""The first rating of many employers at once: the next patrol due date is written with the
rating (no refresh pass afterwards), the set-based SQL agrees with the Python definition, and
the statements per chunk do not grow with the employers or their cases. The rerate of one
employer writes its due date with the rating too."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from core.dates import add_months
from employers.models import Employer
from ratings.models import Rating, RatingHistory
from ratings.patrol_due import next_patrol_due, next_patrol_due_sql, patrol_due_refresh
from ratings.procedure.models import Notice
from ratings.services import employer_rerate, employers_rerate_bulk
from tests.factories import CaseFactory, EmployerFactory, PatrolFactory

D = datetime.date
TODAY = D(2026, 11, 15)
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the set-based first rating is PostgreSQL's"
)


@pytest.fixture
def today():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY) as frozen:
        yield frozen


# Month ends and leap days are where "n months later" can go wrong.
days = st.one_of(
    st.dates(min_value=D(2019, 1, 1), max_value=D(2028, 12, 31)),
    st.sampled_from([D(2024, 1, 31), D(2024, 2, 29), D(2023, 8, 31), D(2025, 12, 31)]),
)


@on_postgresql
class DueDateSqlAgreesWithPython(TestCase):
    @settings(max_examples=200, deadline=None)
    @given(
        since=days,
        last=st.one_of(st.none(), days),
        months=st.one_of(st.none(), st.integers(min_value=1, max_value=36)),
    )
    def test_same_day_as_next_patrol_due(self, since, last, months):
        sql = next_patrol_due_sql(
            since="%(since)s::date", last_patrol_on="%(last)s::date", months="%(months)s::integer"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {sql}", {"since": since, "last": last, "months": months})
            in_sql = cursor.fetchone()[0]
        intervals = {} if months is None else {"A": months}
        expected = next_patrol_due(level="A", since=since, last_patrol_on=last, intervals=intervals)
        assert in_sql == expected


def _district(unit) -> list[int]:
    """Employers without cases (patrolled or not) and with cases of every level."""
    quiet = EmployerFactory.create_batch(5, unit=unit)
    PatrolFactory(employer=quiet[0], patrolled_on=D(2026, 1, 31))
    PatrolFactory(employer=quiet[0], patrolled_on=D(2025, 5, 1))
    PatrolFactory(employer=quiet[1], patrolled_on=D(2019, 3, 1))  # before it was added
    sanctioned = EmployerFactory.create_batch(3, unit=unit)
    CaseFactory(
        employer=sanctioned[0], opened_on=D(2026, 5, 1), decided_on=D(2026, 6, 1), order_issued=True
    )
    CaseFactory(
        employer=sanctioned[1],
        opened_on=D(2026, 7, 1),
        decided_on=D(2026, 7, 1),
        penalty_issued=True,
    )
    CaseFactory(
        employer=sanctioned[2],
        opened_on=D(2019, 7, 1),
        decided_on=D(2019, 7, 1),
        penalty_issued=True,
    )
    PatrolFactory(employer=sanctioned[1], patrolled_on=D(2026, 8, 31))
    ids = [e.pk for e in quiet + sanctioned]
    added = datetime.datetime(2019, 6, 30, 17, 0, tzinfo=datetime.UTC)  # 1 July in Tianjin
    Employer.objects.filter(pk__in=ids).update(created_at=added)
    return ids


def _first_rating(*, in_sql: bool, chunk_size: int = 5000) -> dict[int, tuple]:
    Notice.objects.all().delete()
    RatingHistory.objects.all().delete()
    Rating.objects.all().delete()
    with mock.patch("ratings.services.bulk.first_ratings_in_sql", return_value=in_sql):
        summary = employers_rerate_bulk(cause="full", chunk_size=chunk_size)
    assert summary.changed == summary.level_changes == Rating.objects.count()
    return {
        row[0]: row[1:]
        for row in Rating.objects.values_list(
            "employer_id", "level", "since", "next_change_on", "next_patrol_due_on"
        )
    }


@pytest.mark.django_db
def test_first_rating_writes_the_next_patrol_due_date(today, unit_lqz):
    ids = _district(unit_lqz)
    python_path = _first_rating(in_sql=False)
    assert set(python_path) >= set(ids)
    both = [python_path]
    if connection.vendor == "postgresql":
        both += [_first_rating(in_sql=True), _first_rating(in_sql=True, chunk_size=3)]
    for ratings in both:
        assert ratings == python_path
        # Nothing left for the refresh to do: every due date is already the right one.
        assert patrol_due_refresh() == 0
    patrolled = python_path[ids[0]]
    assert patrolled[:2] == ("A", D(2019, 7, 1))
    assert patrolled[3] == add_months(D(2026, 1, 31), 24)  # the last patrol, end of month
    # patrolled before it was added: the clock starts on the day it was added
    assert python_path[ids[1]][3] == add_months(D(2019, 7, 1), 24)
    c_level = python_path[ids[6]]
    assert c_level[0] == "C"
    assert c_level[3] == add_months(D(2026, 8, 31), 3)
    assert RatingHistory.objects.count() == len(python_path)
    assert Notice.objects.filter(employer_id=ids[6]).count() == 1


@pytest.mark.django_db
def test_statements_per_chunk_do_not_grow_with_employers_or_cases(today, unit_lqz):
    def statements(employers: int, cases_each: int) -> int:
        Notice.objects.all().delete()
        RatingHistory.objects.all().delete()
        Rating.objects.all().delete()
        made = EmployerFactory.create_batch(employers, unit=unit_lqz)
        for employer in made[: employers // 2]:
            for n in range(cases_each):
                CaseFactory(
                    employer=employer,
                    opened_on=D(2026, 3, 1 + n),
                    decided_on=D(2026, 4, 1 + n),
                    penalty_issued=True,
                )
            PatrolFactory(employer=employer, patrolled_on=D(2026, 9, 1))
        Rating.objects.all().delete()
        RatingHistory.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            employers_rerate_bulk(employer_ids=[e.pk for e in made], cause="full")
        # ANALYZE runs when much of the table changed by PostgreSQL's estimate of its size,
        # which autovacuum may refresh between the two runs: not counted.
        return sum(
            not q["sql"].lstrip().upper().startswith("ANALYZE") for q in captured.captured_queries
        )

    statements(4, 1)  # the working calendar (notice due dates) is read once and kept
    small = statements(4, 1)
    assert statements(40, 3) == small
    # lock, cases, ratings, rule set switch/repairs come with the lock; intervals, first
    # ratings in SQL, last patrols, the write (two to four), notices, ANALYZE check and the
    # transaction: a fixed number, whatever the chunk holds.
    assert small <= 14, small


@pytest.mark.django_db
def test_one_employer_becoming_c_gets_its_due_date_with_the_rating(
    today, unit_lqz, django_assert_max_num_queries
):
    employer = EmployerFactory(unit=unit_lqz)
    employer_rerate(employer_id=employer.pk, cause="command")
    PatrolFactory(employer=employer, patrolled_on=D(2026, 10, 31))
    CaseFactory(
        employer=employer, opened_on=D(2026, 11, 1), decided_on=D(2026, 11, 2), penalty_issued=True
    )
    # lock, cases, rating, last patrol, intervals, write, history, the notice with the two
    # calendar reads of its due date, and the savepoint pair: no refresh of the due date after
    with django_assert_max_num_queries(12):
        rating = employer_rerate(employer_id=employer.pk, cause="case_changed")
    rating.refresh_from_db()
    assert (rating.level, rating.since) == ("C", D(2026, 11, 2))
    assert rating.next_patrol_due_on == add_months(D(2026, 11, 2), 3)
    assert patrol_due_refresh(employer_ids=[employer.pk]) == 0
