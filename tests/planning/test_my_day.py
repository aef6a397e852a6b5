"""The home page by role: an inspector's day, a supervisor's decisions, an admin's tools."""

import datetime

import pytest
from django.utils import timezone

from core.dates import add_months
from core.roles import Role
from planning.draws import draw_create
from ratings.patrol_due import patrol_due_refresh
from tests.conftest import LQZ, make_user
from tests.factories import CaseFactory, EmployerFactory

from .factories import RatingFactory

TODAY = timezone.localdate()


@pytest.fixture
def day_world(unit_lqz, unit_ylq, inspector_lqz, inspector_lqz2):
    overdue = EmployerFactory(unit=unit_lqz, name="李七庄到期巡查公司")
    RatingFactory(employer=overdue, level="C", since=add_months(TODAY, -5))
    other_unit = EmployerFactory(unit=unit_ylq, name="杨柳青到期巡查公司")
    RatingFactory(employer=other_unit, level="C", since=add_months(TODAY, -5))
    patrol_due_refresh()
    draw = draw_create(units=[unit_lqz], seed=3, shares={"C": 1, "B": 0, "A": 0}).draw
    return {"overdue": overdue, "draw": draw}


@pytest.mark.django_db
def test_inspector_home_is_my_day_with_drawn_and_due_patrols(client_lqz, day_world):
    response = client_lqz.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="my-drawn"' in html
    day = response.context["day"]
    assert [row.employer.name for row in day.drawn.rows] == ["李七庄到期巡查公司"]
    assert [e.name for e in day.patrols_due.rows] == ["李七庄到期巡查公司"]
    # one tap to start a patrol, the employer prefilled
    code = day_world["overdue"].credit_code
    assert f'href="/patrols/new/?employer={code}"' in html
    assert "杨柳青到期巡查公司" not in html


@pytest.mark.django_db
def test_drawn_patrol_leaves_my_day_once_patrolled(client_lqz, day_world):
    from tests.factories import PatrolFactory

    PatrolFactory(employer=day_world["overdue"], patrolled_on=TODAY)
    day = client_lqz.get("/").context["day"]
    assert day.drawn.total == 0


@pytest.mark.django_db
def test_inspector_of_another_unit_has_nothing_drawn(client_ylq, day_world):
    day = client_ylq.get("/").context["day"]
    assert day.drawn.total == 0
    assert [e.name for e in day.patrols_due.rows] == ["杨柳青到期巡查公司"]


@pytest.mark.django_db
def test_early_warning_shows_on_my_day(client_lqz, employer_lqz):
    CaseFactory(
        employer=employer_lqz,
        opened_on=TODAY - datetime.timedelta(days=20),
        decided_on=TODAY - datetime.timedelta(days=10),
        order_issued=True,
        order_deadline=TODAY + datetime.timedelta(days=3),
    )
    day = client_lqz.get("/").context["day"]
    assert [case.employer_id for case in day.early_warnings.rows] == [employer_lqz.pk]


@pytest.mark.django_db
def test_supervisor_home_lists_serious_flags_to_judge(client_supervisor, employer_lqz):
    CaseFactory(employer=employer_lqz, serious=True, serious_reason="拖欠大量农民工工资")
    response = client_supervisor.get("/")
    assert response.status_code == 200
    decisions = response.context["decisions"]
    assert decisions.serious_flags.total == 1
    assert 'data-testid="serious-flags"' in response.content.decode()


@pytest.mark.django_db
def test_admin_home_is_the_administration_page(client_admin):
    response = client_admin.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/"


@pytest.mark.django_db
def test_my_day_is_refused_to_supervisors(client_supervisor):
    assert client_supervisor.get("/my-day/").status_code == 403


@pytest.mark.django_db
def test_my_day_query_count_is_bounded(client_lqz, unit_lqz, django_assert_max_num_queries):
    for n in range(30):
        employer = EmployerFactory(unit=unit_lqz, name=f"到期{n}")
        RatingFactory(employer=employer, level="C", since=add_months(TODAY, -5))
    patrol_due_refresh()
    make_user("insp_extra", Role.INSPECTOR, (LQZ,))
    draw_create(units=[unit_lqz], seed=1, shares={"C": 1})
    with django_assert_max_num_queries(20):
        assert client_lqz.get("/").status_code == 200
