"""Journey: a complaint from intake to closing in Chromium, on a phone-sized screen.

An inspector records a wage complaint from the employer's page, sees the acceptance clock,
reveals the complainant's identity (logged), accepts it with a colleague (the case opens the
same day), opens the case, then closes the complaint with its outcome. A colleague of the same
unit who is not assigned sees the complainant only masked."""

import pytest
from django.utils import timezone

from complaints.models import Complaint, IdentityAccess
from inspections.models import Case
from tests.conftest import make_user

from .journey import open_as


@pytest.mark.django_db(transaction=True)
def test_intake_accept_case_close(page, live_server, inspector_lqz, employer_lqz):
    colleague = make_user("insp_lqz_partner", "inspector", ("120111002",))
    bystander = make_user("insp_lqz_other", "inspector", ("120111002",))
    page.on("dialog", lambda dialog: dialog.accept())
    today = timezone.localdate()

    open_as(page, live_server, inspector_lqz.username, employer_lqz.get_absolute_url())
    panel = page.get_by_test_id("complaints-panel")
    panel.get_by_role("link", name="登记投诉").click()
    page.wait_for_load_state()

    # intake: the employer is prefilled from its page
    assert page.input_value("#id_employer_query") == employer_lqz.credit_code
    page.select_option("#id_channel", "hotline_12345")
    page.fill("#id_complainant_name", "赵铁柱")
    page.fill("#id_complainant_phone", "13612345678")
    page.fill("#id_complainant_id_number", "120111198807071234")
    page.check("input[name=items][value=wages]")
    page.fill("#id_workers_involved", "15")
    page.fill("#id_amount_involved", "120000")
    page.fill("#id_description", "车间15名工人被拖欠9、10月工资。")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()

    complaint = Complaint.objects.get()
    assert page.get_by_test_id("complaint-number").inner_text() == complaint.number
    assert page.get_by_test_id("complaint-status").inner_text() == "待受理"
    assert "受理决定期限" in page.get_by_test_id("complaint-clock").inner_text()
    # masked until asked for; asking is logged
    assert page.get_by_test_id("complainant-name").inner_text() == "赵*柱"
    page.get_by_test_id("reveal-identity").click()
    page.get_by_text("13612345678").wait_for()
    assert page.get_by_test_id("complainant-name").inner_text() == "赵铁柱"
    assert IdentityAccess.objects.filter(user=inspector_lqz, complaint=complaint).count() == 1

    # accept with a colleague: the case is opened the same day
    page.get_by_role("link", name="受理并立案").click()
    page.wait_for_load_state()
    page.get_by_label(colleague.username).check()
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    complaint.refresh_from_db()
    case = Case.objects.get()
    assert complaint.case == case and case.source == Case.Source.COMPLAINT
    assert case.opened_on == today
    assert page.get_by_test_id("complaint-status").inner_text() == "已受理，调查中"
    assert "调查期限" in page.get_by_test_id("complaint-clock").inner_text()

    # the case page, where the measures are recorded
    page.get_by_test_id("case-link").click()
    page.wait_for_load_state()
    assert case.number in page.content()
    assert "赵铁柱" not in page.content()
    page.go_back()
    page.wait_for_load_state()

    # close with the outcome
    page.get_by_role("link", name="办结").click()
    page.wait_for_load_state()
    page.select_option("#id_outcome", "violation")
    page.fill("#id_note", "已责令限期支付拖欠工资。")
    page.fill("#id_answered_on", today.isoformat())
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("complaint-status").inner_text() == "已办结"
    assert "违法属实" in page.get_by_test_id("complaint-outcome").inner_text()
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CLOSED and complaint.closed_on == today

    # an inspector of the same unit who is not assigned sees the complainant masked
    page.context.clear_cookies()
    open_as(page, live_server, bystander.username, f"/complaints/{complaint.pk}/?identity=1")
    assert page.get_by_test_id("complainant-name").inner_text() == "赵*柱"
    assert "13612345678" not in page.content()
    page.goto(f"{live_server.url}/complaints/")
    assert complaint.number in page.content() and "赵铁柱" not in page.content()
