"""Early warning: order and decision deadlines in the next 7 days, not yet met, scoped."""

import datetime

import pytest
from django.urls import reverse

from ratings.services import employers_rerate_bulk
from tests.access import assert_sent_to_login
from tests.clock import frozen_today
from tests.factories import CaseFactory, EmployerFactory
from tests.workbooks import xlsx_rows

from .cases import order_case

D = datetime.date
TODAY = D(2026, 11, 15)
URL = "/ratings/early-warning/"


today = frozen_today(TODAY)


@pytest.fixture
def warnings_world(today, unit_lqz, unit_ylq):
    lqz = EmployerFactory(unit=unit_lqz, name="李七庄预警公司")
    ylq = EmployerFactory(unit=unit_ylq, name="杨柳青预警公司")
    quiet = EmployerFactory(unit=unit_lqz, name="李七庄无预警公司")

    def order(employer, number, deadline, **kw):
        opened, decided = D(2026, 10, 1), D(2026, 10, 10)
        return order_case(
            employer, number=number, opened=opened, decided=decided, deadline=deadline, **kw
        )

    cases = {
        "today": order(lqz, "W-TODAY", TODAY),  # due today: still listed
        "day7": order(lqz, "W-DAY7", TODAY + datetime.timedelta(days=7)),
        "ylq": CaseFactory(
            employer=ylq,
            number="W-YLQ",
            opened_on=D(2026, 10, 1),
            decided_on=D(2026, 10, 10),
            decision_issued=True,
            decision_deadline=TODAY + datetime.timedelta(days=3),
        ),
        # not listed:
        "day8": order(quiet, "W-DAY8", TODAY + datetime.timedelta(days=8)),
        "passed": order(quiet, "W-PASSED", TODAY - datetime.timedelta(days=1)),
        "met": order(quiet, "W-MET", TODAY + datetime.timedelta(days=2), rectified=TODAY),
        "withdrawn": order(
            quiet, "W-WITHDRAWN", TODAY + datetime.timedelta(days=2), withdrawn=True
        ),
    }
    employers_rerate_bulk(cause="full")
    return cases


def numbers(response) -> set[str]:
    html = response.content.decode()
    return {
        n
        for n in ("W-TODAY", "W-DAY7", "W-YLQ", "W-DAY8", "W-PASSED", "W-MET", "W-WITHDRAWN")
        if n in html
    }


@pytest.mark.django_db
def test_url_and_name():
    assert reverse("ratings:early_warning") == URL


@pytest.mark.django_db
def test_supervisor_sees_the_district_within_seven_days(client_supervisor, warnings_world):
    response = client_supervisor.get(URL)
    assert response.status_code == 200
    assert numbers(response) == {"W-TODAY", "W-DAY7", "W-YLQ"}
    html = response.content.decode()
    assert "今日到期" in html
    assert "行政处理决定，期限2026-11-18" in html


@pytest.mark.django_db
def test_admin_sees_the_district(client_admin, warnings_world):
    assert numbers(client_admin.get(URL)) == {"W-TODAY", "W-DAY7", "W-YLQ"}


@pytest.mark.django_db
def test_inspectors_see_their_units_only(client_lqz, client_ylq, warnings_world):
    assert numbers(client_lqz.get(URL)) == {"W-TODAY", "W-DAY7"}
    assert numbers(client_ylq.get(URL)) == {"W-YLQ"}


@pytest.mark.django_db
def test_user_without_role_gets_404(client_nobody, warnings_world):
    assert client_nobody.get(URL).status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    assert_sent_to_login(client, URL)


@pytest.mark.django_db
def test_filter_by_measure(client_supervisor, warnings_world):
    assert numbers(client_supervisor.get(URL, {"measure": "decision"})) == {"W-YLQ"}
    assert numbers(client_supervisor.get(URL, {"measure": "order"})) == {"W-TODAY", "W-DAY7"}


@pytest.mark.django_db
def test_export_is_scoped_and_ordered_by_deadline(client_lqz, warnings_world):
    response = client_lqz.get(reverse("ratings:early_warning_export"))
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert rows[0][0] == "期限"
    assert [r[5] for r in rows[1:]] == ["W-TODAY", "W-DAY7"]
    assert [r[1] for r in rows[1:]] == [0, 7]
    assert rows[1][8] == "B"  # still B: it turns C the day after


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_rows(
    client_supervisor, warnings_world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        client_supervisor.get(URL)
