"""The whole road in Chromium, end to end, with nothing prepared but people and one employer:

an inspector of 李七庄 logs a patrol with a problem, the case it opens gets a penalty and the
employer turns C; the supervisor finds it on the watchlist and on the coverage dashboard (the
rating counts, then the red cell after running the month with the dashboard's button); a partner
department reads it from the C list with its API key; an inspector of 杨柳青 can reach none of it.

The pieces alone have their own journeys (test_journey_patrol_case, test_journey_rating,
test_journey_watchlist_api, test_journey_dashboard); this one checks they fit together.
"""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command

from inspections.models import Case, Patrol
from partners.models import PartnerAccess
from ratings.models import Rating
from supervision.models import CoverageRun
from supervision.months import format_month, previous_month

from .journey import c_list, level_shown, login, open_as, patrol_with_wage_problem, penalty_recorded


def _logout(page) -> None:
    page.context.clear_cookies()


@pytest.mark.django_db(transaction=True)
def test_from_a_patrol_to_the_c_list_and_nowhere_for_another_unit(
    page,
    live_server,
    inspector_lqz,
    inspector_lqz2,
    supervisor,
    inspector_ylq,
    employer_lqz,
    settings,
):
    # The C goes to partners at once here; the notice and objection steps before a final
    # listing have their own journey (test_journey_objection).
    settings.PARTNER_REQUIRE_NOTICE_SERVED = False
    settings.PARTNER_REQUIRE_OBJECTION_PERIOD_PASSED = False
    cache.clear()  # the dashboard's rating counts must be counted for this test
    today = datetime.date.today()
    url = live_server.url

    # --- the inspector of 李七庄: patrol with a problem -> case -> penalty ----------------
    login(page, live_server, inspector_lqz.username)
    assert level_shown(page, live_server, employer_lqz) == "A"
    page.get_by_role("link", name="开始巡查").click()
    page.wait_for_load_state()
    page.get_by_label(inspector_lqz2.first_name, exact=True).check()
    patrol_with_wage_problem(
        page, person_met="行政主管李娜", note="未按时足额支付12名职工10月份工资"
    )

    patrol = Patrol.objects.get(employer=employer_lqz)
    case = Case.objects.get(employer=employer_lqz)
    assert case.source_patrol == patrol
    assert page.url.endswith(f"/cases/{case.pk}/edit/")
    penalty_recorded(page, decided_on=today, number="西青人社罚〔2026〕088号", amount="30000")
    assert page.get_by_test_id("case-number").inner_text() == case.number

    assert level_shown(page, live_server, employer_lqz) == "C"
    assert "C4" in page.get_by_test_id("rating-clauses").inner_text()
    assert Rating.objects.get(employer=employer_lqz).level == "C"

    # --- the supervisor: watchlist, rating counts, the month's red cell -----------------------
    _logout(page)
    open_as(page, live_server, supervisor.username, "/watchlist/")
    row = page.get_by_test_id("watchlist").locator("tr", has_text=employer_lqz.name)
    assert row.count() == 1
    assert "C4" in row.inner_text()

    page.goto(f"{url}/coverage/")
    counts = page.get_by_test_id("rating-distribution").locator("tr", has_text="李七庄街道")
    assert counts.locator("td").nth(2).inner_text() == "1"  # A, B, C: one C

    page.get_by_test_id("coverage-run").click()
    page.wait_for_load_state()
    page.get_by_test_id("confirm-run").click()
    page.wait_for_load_state()
    month = format_month(previous_month())
    assert CoverageRun.objects.get().status == CoverageRun.Status.DONE
    assert f"month={month}" in page.url
    # never patrolled by the end of last month, now C: the unit's C-patrol cell is red
    red = page.locator('[data-testid="cell-fail"][data-check="c_patrolled"][data-unit="120111002"]')
    assert red.count() == 1
    red.get_by_role("link").click()
    page.wait_for_load_state()
    assert (
        page.get_by_test_id("cell-records").get_by_role("link", name=employer_lqz.name).is_visible()
    )

    # --- a partner department reads the C list with its key -----------------------------------
    out = io.StringIO()
    call_command("add_partner", "西青区市场监督管理局", stdout=out, stderr=io.StringIO())
    key = out.getvalue().strip()
    response = c_list(page, url, key)
    assert response.status == 200
    body = response.json()
    listed = {row["credit_code"]: row for row in body["results"]}
    assert listed[employer_lqz.credit_code]["clauses"] == ["C4"]
    assert listed[employer_lqz.credit_code]["unit"] == "李七庄街道"
    assert PartnerAccess.objects.filter(status_code=200, rows=body["count"]).exists()
    refused = c_list(page, url, "not-a-key")
    assert refused.status in (401, 403)

    # --- an inspector of 杨柳青 reaches none of it --------------------------------------------
    _logout(page)
    login(page, live_server, inspector_ylq.username)
    for path in (
        employer_lqz.get_absolute_url(),
        f"/cases/{case.pk}/",
        f"/patrols/{patrol.pk}/",
        f"/cases/{case.pk}/edit/",
    ):
        assert page.goto(f"{url}{path}").status == 404, path
    page.goto(f"{url}/watchlist/")
    assert page.get_by_test_id("watchlist").is_visible()
    assert page.get_by_text(employer_lqz.name).count() == 0
    page.goto(f"{url}/employers/?q={employer_lqz.credit_code}")
    assert page.get_by_text(employer_lqz.name).count() == 0
