"""Next-patrol-due dates and the patrols-due list (/ratings/patrols-due/)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from core.dates import add_months
from employers.models import Employer
from planning.selectors import (
    date_from_due_key,
    date_key,
    due_cutoff,
    due_on,
    employers_patrol_due,
    filter_due_by,
    last_patrol_on,
    patrol_intervals,
)
from planning.services import patrol_intervals_update
from ratings.patrol_due import patrol_due_refresh
from ratings.services import employer_rerate
from tests.access import assert_sent_to_login
from tests.factories import EmployerFactory, PatrolFactory
from tests.queries import assert_list_queries_fixed
from tests.workbooks import xlsx_rows

from .factories import RatingFactory

URL = "/ratings/patrols-due/"
TODAY = timezone.localdate()


def _added_on(employer: Employer, day: datetime.date) -> None:
    # created_at is auto_now_add: move it into the past with an update.
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    Employer.objects.filter(pk=employer.pk).update(created_at=moment)


def _due(employer: Employer, user) -> datetime.date:
    # The factories write ratings and patrols without committing: store the due dates here.
    patrol_due_refresh()
    row = employers_patrol_due(user=user, intervals=patrol_intervals()).get(pk=employer.pk)
    return date_from_due_key(row.due_key)


# --- the date arithmetic -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28)),
        (datetime.date(2027, 11, 30), 3, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 5, 15), 12, datetime.date(2027, 5, 15)),
        (datetime.date(2026, 12, 1), 24, datetime.date(2028, 12, 1)),
        (datetime.date(2026, 3, 31), 0, datetime.date(2026, 3, 31)),
    ],
)
def test_add_months_clamps_to_month_end(day, months, expected):
    assert add_months(day, months) == expected


dates = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2090, 12, 31))


@given(base=dates, months=st.integers(min_value=0, max_value=60), other=dates)
def test_due_key_decodes_and_compares_like_the_real_due_date(base, months, other):
    key = date_key(base) + months * 32
    due = add_months(base, months)
    assert date_from_due_key(key) == due
    # "overdue" and "due by" tests in SQL compare keys: they must agree with the dates.
    assert (key < date_key(other)) == (due < other)
    assert (key < date_key(other + datetime.timedelta(days=1))) == (due <= other)


@given(base=dates, months=st.integers(min_value=1, max_value=60), day=dates)
def test_due_cutoff_splits_due_from_not_due(base, months, day):
    # "due on or before day" is asked as "last patrol before the cutoff" in SQL
    assert (add_months(base, months) <= day) == (base < due_cutoff(day, months))


# --- the annotation in the database --------------------------------------------------------


@pytest.mark.django_db
def test_due_date_is_last_patrol_plus_interval_of_level(supervisor, unit_lqz):
    c_employer = EmployerFactory(unit=unit_lqz)
    RatingFactory(employer=c_employer, level="C")
    PatrolFactory(employer=c_employer, patrolled_on=datetime.date(2026, 2, 10))
    # the latest patrol counts, not the first
    PatrolFactory(employer=c_employer, patrolled_on=datetime.date(2026, 11, 30))
    b_employer = EmployerFactory(unit=unit_lqz)
    RatingFactory(employer=b_employer, level="B", clause_codes="", since=datetime.date(2025, 3, 1))
    PatrolFactory(employer=b_employer, patrolled_on=datetime.date(2026, 1, 31))
    # Rated by the engine: A since it was added; a patrol from before then does not count.
    new = EmployerFactory(unit=unit_lqz)
    PatrolFactory(employer=new, patrolled_on=datetime.date(2025, 6, 1))
    employer_rerate(employer_id=new.pk, cause="command")

    assert _due(c_employer, supervisor) == datetime.date(2027, 2, 28)
    assert _due(b_employer, supervisor) == datetime.date(2027, 1, 31)
    assert _due(new, supervisor) == add_months(TODAY, 24)


@pytest.mark.django_db
def test_due_filter_agrees_with_due_dates_at_every_month_end(supervisor, unit_lqz):
    """The anti-join filter and the displayed due date never disagree, around month ends
    and leap days, for every level and for employers never patrolled."""
    levels = ["A", "B", "C", None]
    last_dates = [
        datetime.date(2025, 2, 28),
        datetime.date(2025, 11, 29),
        datetime.date(2025, 11, 30),
        datetime.date(2025, 12, 31),
        datetime.date(2026, 1, 31),
        datetime.date(2026, 8, 31),
        datetime.date(2026, 9, 30),
    ]
    for n, last in enumerate(last_dates):
        employer = EmployerFactory(unit=unit_lqz)
        if levels[n % 4]:
            RatingFactory(employer=employer, level=levels[n % 4])
        PatrolFactory(employer=employer, patrolled_on=last - datetime.timedelta(days=40))
        PatrolFactory(employer=employer, patrolled_on=last)
    never = EmployerFactory(unit=unit_lqz)
    _added_on(never, datetime.date(2026, 11, 3))
    patrol_due_refresh()
    intervals = patrol_intervals()
    rows = list(employers_patrol_due(user=supervisor, intervals=intervals))
    assert last_patrol_on(next(r for r in rows if r.pk == never.pk)) is None
    day = datetime.date(2026, 10, 25)
    while day <= datetime.date(2027, 3, 5):
        expected = {r.pk for r in rows if due_on(r) is not None and due_on(r) <= day}
        base = employers_patrol_due(user=supervisor, intervals=intervals)
        assert set(filter_due_by(base, day, intervals).values_list("pk", flat=True)) == expected
        day += datetime.timedelta(days=1)


@pytest.mark.django_db
def test_employer_registered_today_is_due_one_interval_later(supervisor, unit_lqz):
    employer = EmployerFactory(unit=unit_lqz)
    employer_rerate(employer_id=employer.pk, cause="employer_added")
    intervals = patrol_intervals()
    base = employers_patrol_due(user=supervisor, intervals=intervals)
    assert not filter_due_by(base, TODAY, intervals).filter(pk=employer.pk).exists()
    assert _due(employer, supervisor) == add_months(TODAY, 24)


@pytest.mark.django_db
def test_never_patrolled_employer_is_due_from_the_day_its_level_began(supervisor, unit_lqz):
    employer = EmployerFactory(unit=unit_lqz)
    RatingFactory(employer=employer, level="C", since=datetime.date(2026, 4, 3))
    _added_on(employer, datetime.date(2021, 4, 3))
    assert _due(employer, supervisor) == datetime.date(2026, 7, 3)


@pytest.mark.django_db
def test_changing_an_interval_moves_the_due_date(
    supervisor, unit_lqz, django_capture_on_commit_callbacks
):
    employer = EmployerFactory(unit=unit_lqz)
    RatingFactory(employer=employer, level="C", since=datetime.date(2026, 1, 1))
    PatrolFactory(employer=employer, patrolled_on=datetime.date(2026, 8, 31))
    assert _due(employer, supervisor) == datetime.date(2026, 11, 30)
    with django_capture_on_commit_callbacks(execute=True):
        patrol_intervals_update(months={"C": 6})
    row = employers_patrol_due(user=supervisor, intervals=patrol_intervals()).get(pk=employer.pk)
    assert due_on(row) == datetime.date(2027, 2, 28)


@pytest.mark.django_db
def test_patrols_of_other_employers_do_not_count(supervisor, unit_lqz):
    employer = EmployerFactory(unit=unit_lqz)
    other = EmployerFactory(unit=unit_lqz)
    RatingFactory(employer=employer, level="C", since=datetime.date(2026, 1, 5))
    PatrolFactory(employer=other, patrolled_on=datetime.date(2026, 11, 1))
    assert _due(employer, supervisor) == datetime.date(2026, 4, 5)


# --- the list page --------------------------------------------------------------------------


@pytest.fixture
def due_world(unit_lqz, unit_ylq):
    """Three employers: overdue C in 李七庄, due-soon B in 李七庄, overdue A in 杨柳青, plus one
    patrolled recently (not due) and one deregistered (never listed)."""
    long_ago = add_months(TODAY, -30)
    overdue_c = EmployerFactory(unit=unit_lqz, name="李七庄逾期C单位")
    RatingFactory(employer=overdue_c, level="C", since=long_ago)
    PatrolFactory(employer=overdue_c, patrolled_on=add_months(TODAY, -4))
    soon_b = EmployerFactory(unit=unit_lqz, name="李七庄将到期B单位")
    RatingFactory(employer=soon_b, level="B", clause_codes="", since=long_ago)
    PatrolFactory(
        employer=soon_b, patrolled_on=add_months(TODAY, -12) + datetime.timedelta(days=10)
    )
    overdue_a = EmployerFactory(unit=unit_ylq, name="杨柳青从未巡查单位")
    _added_on(overdue_a, long_ago)
    # A since it was added, 30 months ago, never patrolled: due 24 months after that.
    RatingFactory(employer=overdue_a, level="A", clause_codes="", since=long_ago)
    fresh = EmployerFactory(unit=unit_lqz, name="李七庄刚巡查单位")
    PatrolFactory(employer=fresh, patrolled_on=TODAY - datetime.timedelta(days=5))
    gone = EmployerFactory(unit=unit_lqz, name="李七庄已注销单位", status="deregistered")
    _added_on(gone, TODAY - datetime.timedelta(days=400))
    patrol_due_refresh()
    return {"overdue_c": overdue_c, "soon_b": soon_b, "overdue_a": overdue_a, "fresh": fresh}


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, due_world):
    assert_sent_to_login(client, URL)


@pytest.mark.django_db
def test_user_without_role_gets_404(client_nobody, due_world):
    assert client_nobody.get(URL).status_code == 404


@pytest.mark.django_db
def test_inspector_sees_due_and_overdue_of_own_units_only(client_lqz, due_world):
    response = client_lqz.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "李七庄逾期C单位" in html
    assert "李七庄将到期B单位" in html
    assert "杨柳青从未巡查单位" not in html
    assert "李七庄刚巡查单位" not in html
    assert "李七庄已注销单位" not in html
    assert 'data-testid="overdue"' in html
    # the per-unit summary counts one overdue and one due soon in 李七庄
    assert response.context["summary"] == [
        {"unit__code": "120111002", "unit__name": "李七庄街道", "overdue": 1, "due_soon": 1}
    ]


@pytest.mark.django_db
def test_inspector_of_other_unit_sees_only_theirs(client_ylq, due_world):
    html = client_ylq.get(URL).content.decode()
    assert "杨柳青从未巡查单位" in html
    assert "李七庄逾期C单位" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("client_name", ["client_supervisor", "client_admin"])
def test_supervisor_and_admin_see_the_district(request, client_name, due_world):
    html = request.getfixturevalue(client_name).get(URL).content.decode()
    for name in ("李七庄逾期C单位", "李七庄将到期B单位", "杨柳青从未巡查单位"):
        assert name in html


@pytest.mark.django_db
def test_filters_overdue_level_unit_and_inspector(client_supervisor, inspector_ylq, due_world):
    def names(query: str) -> set[str]:
        response = client_supervisor.get(f"{URL}?{query}")
        assert response.status_code == 200
        return {row.record.name for row in response.context["table"].page.object_list}

    assert names("overdue=1") == {"李七庄逾期C单位", "杨柳青从未巡查单位"}
    assert names("level=C") == {"李七庄逾期C单位"}
    assert names("level=A") == {"杨柳青从未巡查单位"}
    assert names("unit=" + str(due_world["soon_b"].unit_id)) == {
        "李七庄逾期C单位",
        "李七庄将到期B单位",
    }
    assert names(f"inspector={inspector_ylq.pk}") == {"杨柳青从未巡查单位"}


@pytest.mark.django_db
def test_inspector_cannot_filter_to_another_unit(client_lqz, unit_ylq, due_world):
    response = client_lqz.get(f"{URL}?unit={unit_ylq.pk}")
    assert response.status_code == 200
    # the filter rejects a unit outside the inspector's own: nothing from 杨柳青 leaks
    assert "杨柳青从未巡查单位" not in response.content.decode()
    assert "inspector" not in response.context["filter"].form.fields


@pytest.mark.django_db
def test_export_is_scoped_and_filtered(client_lqz, due_world):
    response = client_lqz.get(reverse("planning:patrols_due_export") + "?overdue=1")
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert len(rows) == 2
    assert rows[1][1] == due_world["overdue_c"].credit_code
    assert rows[1][3] == "C"
    assert rows[1][6] == "是"


def _make_due(count: int, unit) -> None:
    for _n in range(count):
        employer = EmployerFactory(unit=unit)
        RatingFactory(employer=employer, level="C", since=add_months(TODAY, -12))
        PatrolFactory(employer=employer, patrolled_on=add_months(TODAY, -5))
    patrol_due_refresh()


@pytest.mark.django_db
def test_query_count_does_not_grow_with_rows(client_supervisor, unit_lqz, unit_ylq):
    _make_due(3, unit_lqz)
    assert_list_queries_fixed(client_supervisor, URL, lambda: _make_due(30, unit_ylq), rows=33)


@pytest.mark.django_db
def test_list_query_count_is_pinned(client_lqz, unit_lqz, django_assert_max_num_queries):
    _make_due(20, unit_lqz)
    # session, user, roles, intervals, summary (due, overdue), filter's units, count, page
    with django_assert_max_num_queries(9):
        assert client_lqz.get(URL).status_code == 200


def test_anonymous_user_sees_no_employer_due(db):
    assert not employers_patrol_due(user=AnonymousUser(), intervals=patrol_intervals()).exists()
