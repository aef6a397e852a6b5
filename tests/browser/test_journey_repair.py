"""Journey: a C4 employer applies for credit repair, the inspector records the application on
the employer page, a supervisor grants it, and the employer is no longer C."""

import datetime

import pytest
from django.utils import timezone

from inspections.models import Patrol
from ratings.models import Rating, Repair
from ratings.services import employer_rerate
from tests.factories import PatrolFactory
from tests.ratings.cases import penalty_case

from .journey import level_shown, login, open_as


@pytest.mark.django_db(transaction=True)
def test_supervisor_grants_repair_of_a_c4(
    page, live_server, inspector_lqz, supervisor, employer_lqz
):
    today = timezone.localdate()
    decided = today - datetime.timedelta(days=120)
    case = penalty_case(
        employer_lqz,
        number="西青人社监〔2026〕088号",
        opened=decided - datetime.timedelta(days=5),
        decided=decided,
        penalty_number="西青人社罚〔2026〕012号",
        penalty_amount=8000,
        fine_due_on=decided + datetime.timedelta(days=15),
        fine_paid_on=decided + datetime.timedelta(days=10),
    )
    case.inspectors.set([inspector_lqz])
    PatrolFactory(
        employer=employer_lqz,
        patrolled_on=today - datetime.timedelta(days=20),
        outcome=Patrol.Outcome.COMPLIANT,
    )
    employer_rerate(employer_id=employer_lqz.pk, cause="command")
    assert Rating.objects.get(employer=employer_lqz).clause_codes == "C4"

    # The inspector records the employer's application from the rating panel.
    login(page, live_server, inspector_lqz.username)
    assert level_shown(page, live_server, employer_lqz) == "C"
    page.get_by_test_id("rating-repair").click()
    page.wait_for_load_state()
    page.select_option("#id_code", "C4")
    page.fill("#id_corrected_on", (decided + datetime.timedelta(days=10)).isoformat())
    page.fill("#id_statement", "已缴纳罚款并完成整改")
    page.get_by_test_id("repair-apply").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("repair-ready").count() == 1, page.locator("main").inner_text()
    repair = Repair.objects.get(employer=employer_lqz)
    assert repair.is_pending

    # A supervisor grants it.
    page.context.clear_cookies()
    open_as(page, live_server, supervisor.username, f"/ratings/repairs/{repair.pk}/")
    page.check("input[name=decision][value=grant]")
    page.fill("#id_reasons", "整改到位，罚款已缴清，复查无问题")
    page.get_by_test_id("repair-decide").click()
    page.wait_for_load_state()
    repair.refresh_from_db()
    assert repair.status == Repair.Status.GRANTED
    assert page.get_by_test_id("repair-letter").count() == 1

    assert level_shown(page, live_server, employer_lqz) == "B"
    assert repair.decision_number in page.get_by_test_id("rating-history").inner_text()
    assert Rating.objects.get(employer=employer_lqz).level == "B"
