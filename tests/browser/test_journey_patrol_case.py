"""Inspector logs a patrol with a problem on a phone and opens a case with an order to correct."""

import datetime

import pytest

from inspections.models import Case, Patrol

from .journey import open_as, patrol_with_wage_problem


@pytest.mark.django_db(transaction=True)
def test_inspector_logs_patrol_with_problem_and_opens_case_with_order(
    page, live_server, inspector_lqz, inspector_lqz2, employer_lqz
):
    today = datetime.date.today()
    open_as(page, live_server, inspector_lqz.username, employer_lqz.get_absolute_url())
    page.get_by_role("link", name="开始巡查").click()
    page.wait_for_load_state()

    # Only one inspector ticked (the user, by default): the form says the law needs two.
    assert page.get_by_label(inspector_lqz.first_name, exact=True).is_checked()
    page.fill("#id_headcount_seen", "23")
    patrol_with_wage_problem(page, person_met="人事经理王敏", note="拖欠8名职工9月份工资")
    assert page.get_by_text("至少两名监察员").first.is_visible()
    assert not Patrol.objects.exists()

    page.get_by_label(inspector_lqz2.first_name).check()
    page.fill("#id_findings", "工资支付台账显示9月工资未发放")
    page.get_by_role("button", name="保存巡查记录").click()
    page.wait_for_load_state()

    # One step: the patrol is saved and the case is opened, prefilled; now add the order.
    case = Case.objects.get()
    assert page.url.endswith(f"/cases/{case.pk}/edit/")
    assert page.get_by_text("请填写处理措施").is_visible()
    assert page.locator("#id_violation_items_6").is_checked()  # wages, from the checklist
    page.fill("#id_decided_on", today.isoformat())
    page.check("#id_order_issued")
    page.fill("#id_order_deadline", (today + datetime.timedelta(days=15)).isoformat())
    page.get_by_role("button", name="保存案件").click()
    page.wait_for_load_state()

    assert page.get_by_test_id("case-number").inner_text() == case.number
    assert "期限" in page.get_by_test_id("case-order").inner_text()
    case.refresh_from_db()
    assert case.order_issued and case.source_patrol == Patrol.objects.get()
    assert case.order_deadline == today + datetime.timedelta(days=15)
    assert set(case.inspectors.all()) == {inspector_lqz, inspector_lqz2}
    assert Patrol.objects.get().outcome == Patrol.Outcome.CASE_OPENED
