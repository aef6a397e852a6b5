"""Journey: an inspector records a penalty on a case in the browser; the employer turns C at
once, explains why, and appears on the C-level watchlist."""

import datetime

import pytest
from django.utils import timezone

from ratings.models import Rating
from ratings.services import employer_rerate
from tests.conftest import make_user
from tests.ratings.cases import order_case

from .journey import level_shown, login, penalty_recorded


@pytest.mark.django_db(transaction=True)
def test_penalty_recorded_on_a_case_turns_the_employer_c(
    page, live_server, inspector_lqz, employer_lqz
):
    today = timezone.localdate()
    decided = today - datetime.timedelta(days=30)
    colleague = make_user("insp_lqz_colleague", "inspector", ("120111002",))
    case = order_case(
        employer_lqz,
        number="西青人社监〔2026〕077号",
        opened=decided - datetime.timedelta(days=10),
        decided=decided,
        deadline=decided + datetime.timedelta(days=15),
        rectified=decided + datetime.timedelta(days=5),
    )
    case.inspectors.set([inspector_lqz, colleague])
    employer_rerate(employer_id=employer_lqz.pk, cause="command")
    assert Rating.objects.get(employer=employer_lqz).level == "B"

    login(page, live_server, inspector_lqz.username)
    assert level_shown(page, live_server, employer_lqz) == "B"

    # from the rating panel to the case behind the B, then its edit form
    page.get_by_test_id("rating-panel").get_by_role("link", name=case.number).first.click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/cases/{case.pk}/edit/")
    penalty_recorded(page, number="西青人社罚〔2026〕031号", amount="20000")

    assert level_shown(page, live_server, employer_lqz) == "C"
    clauses = page.get_by_test_id("rating-clauses").inner_text()
    assert "C4" in clauses
    assert "评价期内受到行政处罚" in clauses
    assert case.number in clauses
    history = page.get_by_test_id("rating-history").inner_text()
    assert "C4" in history and "案件记录变更" in history

    page.goto(f"{live_server.url}/watchlist/")
    assert page.get_by_text(employer_lqz.name).count() >= 1
