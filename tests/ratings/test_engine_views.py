"""What users see of the engine: the rating panel, and a measure changed in the browser."""

import datetime

import pytest
from django.urls import reverse

from inspections.models import Case
from ratings.models import Rating, RatingHistory
from ratings.services import employer_rerate
from tests.clock import frozen_today
from tests.conftest import make_user
from tests.inspections.case_posts import CHECKBOX_FIELDS, DATE_FIELDS

from .cases import order_case, penalty_case

D = datetime.date
TODAY = D(2026, 11, 15)


today = frozen_today(TODAY)


@pytest.fixture
def c_employer(employer_lqz, today):
    """An employer with an overdue order (C2) and an older rectified order."""
    overdue = order_case(
        employer_lqz,
        number="西青人社监〔2026〕012号",
        opened=D(2026, 8, 20),
        decided=D(2026, 9, 1),
        deadline=D(2026, 9, 30),
    )
    order_case(
        employer_lqz,
        number="西青人社监〔2026〕003号",
        opened=D(2026, 2, 1),
        decided=D(2026, 2, 10),
        deadline=D(2026, 3, 10),
        rectified=D(2026, 3, 1),
    )
    # no decision date yet: not counted
    penalty_case(
        employer_lqz, number="西青人社监〔2026〕020号", opened=D(2026, 10, 1), decided=None
    )
    employer_rerate(employer_id=employer_lqz.pk, cause="command")
    return employer_lqz, overdue


def page(client, employer):
    return client.get(reverse("employers:detail", kwargs={"credit_code": employer.credit_code}))


@pytest.mark.django_db
def test_panel_shows_level_clause_cases_and_what_would_change_it(client_lqz, c_employer):
    employer, overdue = c_employer
    response = page(client_lqz, employer)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="rating-level">C<' in html
    assert "level-C" in html
    assert "C2" in html
    assert "责令改正逾期未整改" in html  # the clause in plain Chinese
    assert f'href="/cases/{overdue.pk}/"' in html  # the case behind it, linked
    assert (
        "C2：责令改正 西青人社监〔2026〕012号 自2026-10-01起逾期未整改；登记整改完成后将变为B级"
        in html
    )
    assert "西青人社监〔2026〕020号 已登记处理措施但尚无决定日期，暂不计入" in html
    assert 'data-testid="rating-history"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["client_lqz", "client_supervisor", "client_admin"])
def test_panel_visible_to_every_role_that_sees_the_employer(request, who, c_employer):
    employer, _overdue = c_employer
    response = page(request.getfixturevalue(who), employer)
    assert 'data-testid="rating-panel"' in response.content.decode()


@pytest.mark.django_db
def test_panel_not_reachable_outside_the_inspectors_units(client_ylq, c_employer):
    employer, _overdue = c_employer
    assert page(client_ylq, employer).status_code == 404


@pytest.mark.django_db
def test_a_employer_panel(client_lqz, employer_lqz, today):
    employer_rerate(employer_id=employer_lqz.pk, cause="command")
    html = page(client_lqz, employer_lqz).content.decode()
    assert 'data-testid="rating-level">A<' in html
    assert "评价期内未被查处" in html


@pytest.mark.django_db
def test_panel_query_count_is_fixed(client_lqz, c_employer, django_assert_max_num_queries):
    employer, _overdue = c_employer
    page(client_lqz, employer)  # warm the role cache of the session user
    with django_assert_max_num_queries(40):
        page(client_lqz, employer)


def _case_post_data(case: Case, **changes) -> dict:
    data = {
        "number": case.number,
        "source": case.source,
        "facts": case.facts,
        "inspectors": [u.pk for u in case.inspectors.all()],
        "violation_items": case.violation_items,
    }
    for name in DATE_FIELDS:
        value = getattr(case, name)
        data[name] = value.isoformat() if value else ""
    for name in CHECKBOX_FIELDS:
        if getattr(case, name):
            data[name] = "on"
    data.update(
        decision_number=case.decision_number,
        penalty_number=case.penalty_number,
        penalty_amount="" if case.penalty_amount is None else str(case.penalty_amount),
    )
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        elif value is True:
            data[name] = "on"
        else:
            data[name] = value
    return data


@pytest.mark.django_db
def test_recording_the_rectification_in_the_browser_changes_the_rating_at_once(
    client_lqz, inspector_lqz, c_employer, django_capture_on_commit_callbacks
):
    employer, overdue = c_employer
    colleague = make_user("insp_lqz_b", "inspector", ("120111002",))
    overdue.inspectors.set([inspector_lqz, colleague])
    assert Rating.objects.get(employer=employer).level == "C"
    url = reverse("inspections:case_edit", kwargs={"pk": overdue.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client_lqz.post(url, _case_post_data(overdue, order_rectified_on="2026-11-14"))
    assert response.status_code == 302, response.content.decode()[:2000]
    rating = Rating.objects.get(employer=employer)
    assert (rating.level, rating.clause_codes) == ("B", "")
    assert RatingHistory.objects.filter(employer=employer, cause="case_changed").exists()
    html = page(client_lqz, employer).content.decode()
    assert 'data-testid="rating-level">B<' in html

    # and a penalty recorded the same way turns it C (C4) at once
    overdue.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        client_lqz.post(
            url,
            _case_post_data(
                overdue,
                penalty_issued=True,
                penalty_number="西青人社罚〔2026〕5号",
                penalty_amount="5000",
            ),
        )
    assert Rating.objects.get(employer=employer).clause_codes == "C4"
