"""Journeys through the C-level watchlist in Chromium."""

import datetime

import pytest

from core.dates import add_months
from tests.factories import EmployerFactory, PatrolFactory
from tests.ratings.factories import RatingFactory

from .journey import open_as


@pytest.fixture
def c_employer(unit_lqz):
    employer = EmployerFactory(unit=unit_lqz, name="天津李七庄欠薪示例有限公司")
    RatingFactory(employer=employer, clause_codes="C2;C4", since=datetime.date(2026, 9, 1))
    PatrolFactory(employer=employer, patrolled_on=add_months(datetime.date.today(), -5))
    return employer


@pytest.mark.django_db(transaction=True)
def test_supervisor_opens_the_watchlist_and_sees_the_c_employer(
    page, live_server, supervisor, c_employer
):
    open_as(page, live_server, supervisor.username, "/watchlist/")
    table = page.get_by_test_id("watchlist")
    row = table.locator("tr", has_text=c_employer.name)
    assert row.count() == 1
    assert "C2" in row.inner_text() and "C4" in row.inner_text()
    assert row.get_by_test_id("overdue").is_visible()
    assert row.get_by_test_id("untrained").is_visible()
    # the joint-punishment list is offered to supervisors
    assert page.get_by_test_id("c-list-export").is_visible()
    row.get_by_role("link", name=c_employer.name).click()
    page.wait_for_load_state()
    assert page.get_by_test_id("employer-name").inner_text() == c_employer.name


@pytest.mark.django_db(transaction=True)
def test_inspector_of_another_unit_does_not_see_it(page, live_server, inspector_ylq, c_employer):
    open_as(page, live_server, inspector_ylq.username, "/watchlist/")
    assert page.get_by_test_id("watchlist").is_visible()
    assert page.get_by_text(c_employer.name).count() == 0
    assert page.get_by_test_id("c-list-export").count() == 0
    # nor can the inspector open the employer directly
    response = page.goto(f"{live_server.url}/employers/{c_employer.credit_code}/")
    assert response.status == 404
