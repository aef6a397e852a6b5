"""Next patrol due dates that mean what they say, stored on the rating (issue 14)."""

import datetime

import pytest
from django.utils import timezone

from core.dates import add_months
from employers.models import Employer
from planning.selectors import employers_patrol_due, filter_overdue, patrol_intervals
from ratings.models import Rating
from ratings.patrol_due import next_patrol_due, patrol_due_refresh
from ratings.services import employer_rerate
from tests.factories import EmployerFactory, PatrolFactory

from .factories import RatingFactory

TODAY = timezone.localdate()
INTERVALS = {"A": 24, "B": 12, "C": 3}


def test_base_is_the_later_of_last_patrol_and_level_start():
    since = datetime.date(2026, 10, 20)
    assert next_patrol_due(level="C", since=since, last_patrol_on=None, intervals=INTERVALS) == (
        datetime.date(2027, 1, 20)
    )
    before = datetime.date(2026, 3, 1)  # patrolled before the level began: does not count
    assert next_patrol_due(level="C", since=since, last_patrol_on=before, intervals=INTERVALS) == (
        datetime.date(2027, 1, 20)
    )
    after = datetime.date(2026, 11, 30)
    assert next_patrol_due(level="C", since=since, last_patrol_on=after, intervals=INTERVALS) == (
        datetime.date(2027, 2, 28)
    )


@pytest.mark.django_db
def test_rated_c_six_weeks_ago_never_patrolled_is_not_overdue(
    supervisor, client_supervisor, unit_lqz
):
    """The "逾期1690天" report: registered years ago, C for six weeks, never patrolled."""
    employer = EmployerFactory(unit=unit_lqz, name="六周前评为C级公司")
    moment = timezone.make_aware(datetime.datetime(2022, 4, 15, 9, 0))
    Employer.objects.filter(pk=employer.pk).update(created_at=moment)
    six_weeks_ago = TODAY - datetime.timedelta(weeks=6)
    RatingFactory(employer=employer, level="C", since=six_weeks_ago)
    # The rating is written directly here; the rerate service would store the date itself.
    patrol_due_refresh(employer_ids=[employer.pk])
    rating = Rating.objects.get(employer=employer)
    assert rating.next_patrol_due_on == add_months(six_weeks_ago, 3)
    base = employers_patrol_due(user=supervisor, intervals=patrol_intervals())
    assert not filter_overdue(base, TODAY).filter(pk=employer.pk).exists()
    html = client_supervisor.get("/watchlist/").content.decode()
    assert "六周前评为C级公司" in html
    row = html.split("六周前评为C级公司", 1)[1].split("</tr>", 1)[0]
    assert 'data-testid="overdue"' not in row
    assert add_months(six_weeks_ago, 3).isoformat() in row


@pytest.mark.django_db
def test_new_employer_is_due_one_interval_after_registration(
    unit_lqz, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        employer = EmployerFactory(unit=unit_lqz)
    rating = Rating.objects.get(employer=employer)
    assert rating.level == "A"
    assert rating.next_patrol_due_on == add_months(rating.since, 24)


@pytest.mark.django_db
def test_a_patrol_saved_moves_the_due_date_after_commit(
    unit_lqz, django_capture_on_commit_callbacks
):
    employer = EmployerFactory(unit=unit_lqz)
    employer_rerate(employer_id=employer.pk, cause="command")
    RatingFactory(employer=employer, level="C", since=datetime.date(2026, 1, 10))
    with django_capture_on_commit_callbacks(execute=True):
        patrol = PatrolFactory(employer=employer, patrolled_on=datetime.date(2026, 11, 30))
    assert Rating.objects.get(employer=employer).next_patrol_due_on == datetime.date(2027, 2, 28)
    with django_capture_on_commit_callbacks(execute=True):
        patrol.delete()
    assert Rating.objects.get(employer=employer).next_patrol_due_on == datetime.date(2026, 4, 10)


@pytest.mark.django_db
def test_a_level_change_by_the_engine_restarts_the_clock(unit_lqz):
    from tests.factories import CaseFactory

    employer = EmployerFactory(unit=unit_lqz)
    PatrolFactory(employer=employer, patrolled_on=TODAY - datetime.timedelta(days=400))
    employer_rerate(employer_id=employer.pk, cause="command")
    CaseFactory(
        employer=employer,
        opened_on=TODAY - datetime.timedelta(days=30),
        decided_on=TODAY - datetime.timedelta(days=20),
        penalty_issued=True,
        penalty_amount=5000,
    )
    employer_rerate(employer_id=employer.pk, cause="case_changed")
    rating = Rating.objects.get(employer=employer)
    assert rating.level == "C"
    assert rating.next_patrol_due_on == add_months(rating.since, 3)
