import datetime

import pytest
from django.urls import reverse

from supervision.models import CheckCode, CoverageResult, CoverageRun
from supervision.services import coverage_check_month
from tests.access import assert_sent_to_login
from tests.conftest import make_user
from tests.workbooks import xlsx_rows

from .factories import RatingFactory, employer_added_on

OCTOBER = datetime.date(2025, 10, 1)
DASHBOARD = "/coverage/"


@pytest.fixture
def october(unit_lqz, unit_ylq):
    """October 2025 checked: 李七庄 added five employers (pass), 杨柳青 two (fail)."""
    for day in range(1, 6):
        employer_added_on(datetime.date(2025, 10, day), unit=unit_lqz, name=f"李七庄新增{day}")
    ylq = [
        employer_added_on(datetime.date(2025, 10, day), unit=unit_ylq, name=f"杨柳青新增{day}")
        for day in (3, 4)
    ]
    coverage_check_month(month=OCTOBER, today=datetime.date(2026, 1, 15))
    return ylq


def cell_url(unit_code: str, code: str = CheckCode.NEW_EMPLOYERS) -> str:
    return reverse(
        "supervision:cell", kwargs={"month": "2025-10", "unit_code": unit_code, "code": code}
    )


def test_dashboard_url_is_stable():
    assert reverse("supervision:dashboard") == DASHBOARD


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    assert_sent_to_login(client, DASHBOARD)


@pytest.mark.django_db
def test_user_without_a_role_sees_nothing(client):
    user = make_user("nobody", "no-such-role")
    client.force_login(user)
    assert client.get(DASHBOARD).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["client_supervisor", "client_admin"])
def test_supervisors_and_admins_see_every_unit(
    request, persona, october, django_assert_max_num_queries
):
    client = request.getfixturevalue(persona)
    with django_assert_max_num_queries(14):
        response = client.get(DASHBOARD, {"month": "2025-10"})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 13
    assert all(len(row.cells) == len(CheckCode) for row in rows)
    html = response.content.decode()
    assert "覆盖率检查 2025-10" in html
    assert 'data-testid="coverage-matrix"' in html
    assert cell_url("120111101") in html
    assert cell_url("120111002") not in html  # 李七庄 passed: no click-through
    assert len(response.context["distribution"]) == 13
    assert "当前信用等级，统计于" in html
    assert len(response.context["trend"]["datasets"]) == 13
    assert "vendor/chartjs/chart.umd.js" in html
    assert "cdn" not in html.lower()


@pytest.mark.django_db
def test_inspector_sees_only_their_units(client_lqz, october):
    response = client_lqz.get(DASHBOARD, {"month": "2025-10"})
    assert response.status_code == 200
    assert [row.unit.code for row in response.context["rows"]] == ["120111002"]
    assert [d.unit.code for d in response.context["distribution"]] == ["120111002"]
    assert [d["label"] for d in response.context["trend"]["datasets"]] == ["李七庄街道"]
    assert "杨柳青镇" not in response.content.decode()
    assert not response.context["may_run"]


@pytest.mark.django_db
def test_dashboard_defaults_to_the_latest_checked_month(client_supervisor, october):
    response = client_supervisor.get(DASHBOARD)
    assert response.context["month"] == OCTOBER


@pytest.mark.django_db
def test_a_bad_month_falls_back_with_a_message(client_supervisor, october):
    response = client_supervisor.get(DASHBOARD, {"month": "2025-99"})
    assert response.status_code == 200
    assert response.context["month"] == OCTOBER
    assert "2025-99" in response.content.decode()


@pytest.mark.django_db
def test_month_without_results_says_so(client_supervisor, october):
    response = client_supervisor.get(DASHBOARD, {"month": "2025-08"})
    assert response.status_code == 200
    assert 'data-testid="coverage-empty"' in response.content.decode()


@pytest.mark.django_db
def test_rating_distribution_counts_levels_per_unit(
    client_supervisor, unit_lqz, october, django_assert_max_num_queries
):
    for level in ("A", "B", "C", "C"):
        RatingFactory(
            employer=employer_added_on(datetime.date(2025, 1, 1), unit=unit_lqz), level=level
        )
    response = client_supervisor.get(DASHBOARD, {"month": "2025-10"})
    lqz = next(d for d in response.context["distribution"] if d.unit.code == "120111002")
    assert (lqz.a, lqz.b, lqz.c, lqz.unrated) == (1, 1, 2, 5)
    # counted once for the whole district, then served from the cache for a few minutes
    with django_assert_max_num_queries(11) as captured:
        client_supervisor.get(DASHBOARD, {"month": "2025-10"})
    assert not any("ratings_rating" in q["sql"] for q in captured.captured_queries)


@pytest.mark.django_db
def test_red_cell_lists_the_employers_behind_it(client_supervisor, october):
    response = client_supervisor.get(cell_url("120111101"))
    assert response.status_code == 200
    html = response.content.decode()
    for employer in october:
        assert employer.name in html
        assert employer.get_absolute_url() in html
    assert "李七庄新增1" not in html


@pytest.mark.django_db
def test_inspector_opens_own_cells_but_not_other_units(client_lqz, client_ylq, october):
    assert client_ylq.get(cell_url("120111101")).status_code == 200
    assert client_lqz.get(cell_url("120111101")).status_code == 404
    assert client_lqz.get(cell_url("120111002")).status_code == 200


@pytest.mark.django_db
def test_cell_of_unknown_check_or_month_is_404(client_supervisor, october):
    assert client_supervisor.get(cell_url("120111101", "nonsense")).status_code == 404
    url = reverse(
        "supervision:cell",
        kwargs={"month": "2025-07", "unit_code": "120111101", "code": "new_employers"},
    )
    assert client_supervisor.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "units"), [("client_supervisor", 13), ("client_admin", 13), ("client_lqz", 1)]
)
def test_export_of_the_month(request, persona, units, october):
    client = request.getfixturevalue(persona)
    response = client.get(reverse("supervision:export"), {"month": "2025-10"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('coverage-2025-10.xlsx"')
    rows = xlsx_rows(response)
    assert len(rows) == 1 + units * len(CheckCode)
    ylq_new = [
        r for r in rows if r[0] == "120111101" and r[2] == str(CheckCode.NEW_EMPLOYERS.label)
    ]
    if units == 13:
        assert ylq_new[0][3] == "不通过"
        assert ylq_new[0][4] == 2
        assert ylq_new[0][7] == 2
    else:
        assert ylq_new == []


@pytest.mark.django_db
def test_run_now_asks_for_confirmation(client_supervisor):
    response = client_supervisor.get(reverse("supervision:run"), {"month": "2025-10"})
    assert response.status_code == 200
    assert 'name="month" value="2025-10"' in response.content.decode()
    assert CoverageRun.objects.count() == 0


@pytest.mark.django_db
def test_supervisor_runs_the_checks_now(
    client_supervisor, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_supervisor.post(reverse("supervision:run"), {"month": "2025-10"})
    assert response.status_code == 302
    assert response["Location"] == f"{DASHBOARD}?month=2025-10"
    assert len(callbacks) == 1
    run = CoverageRun.objects.get()
    assert (run.requested_by, run.source, run.status) == (
        supervisor,
        CoverageRun.Source.DASHBOARD,
        CoverageRun.Status.DONE,
    )
    assert CoverageResult.objects.filter(month=OCTOBER).count() == 13


@pytest.mark.django_db
def test_task_is_queued_only_after_commit(client_supervisor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client_supervisor.post(reverse("supervision:run"), {"month": "2025-10"})
    assert len(callbacks) == 1
    assert CoverageRun.objects.get().status == CoverageRun.Status.QUEUED
    assert CoverageResult.objects.count() == 0


@pytest.mark.django_db
def test_a_pending_run_is_not_queued_twice(client_supervisor, django_capture_on_commit_callbacks):
    CoverageRun.objects.create(month=OCTOBER, source=CoverageRun.Source.DASHBOARD)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_supervisor.post(reverse("supervision:run"), {"month": "2025-10"})
    assert response.status_code == 302
    assert callbacks == []
    assert CoverageRun.objects.count() == 1


@pytest.mark.django_db
def test_run_now_refuses_a_future_month(client_supervisor):
    response = client_supervisor.post(reverse("supervision:run"), {"month": "2999-01"})
    assert response.status_code == 302
    assert CoverageRun.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["client_lqz", "client_ylq"])
def test_inspectors_cannot_run_the_checks(request, persona):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("supervision:run")).status_code == 403
    assert client.post(reverse("supervision:run"), {"month": "2025-10"}).status_code == 403
    assert CoverageRun.objects.count() == 0


@pytest.mark.django_db
def test_people_without_a_role_reach_no_coverage_page(client, october):
    user = make_user("nobody", "no-such-role")
    client.force_login(user)
    assert client.get(cell_url("120111101")).status_code == 404
    assert client.get(reverse("supervision:export")).status_code == 404
    assert client.post(reverse("supervision:run"), {"month": "2025-10"}).status_code == 404


@pytest.mark.django_db
def test_red_complaint_cell_lists_complaints_without_the_complainant(
    client_supervisor, employer_lqz, django_assert_max_num_queries
):
    from .factories import ComplaintFactory

    complaints = [
        ComplaintFactory(employer=employer_lqz, complainant_name=f"投诉人{i}") for i in range(3)
    ]
    coverage_check_month(month=OCTOBER, today=datetime.date(2026, 1, 15))
    with django_assert_max_num_queries(10):
        response = client_supervisor.get(cell_url("120111002", CheckCode.COMPLAINTS))
    assert response.status_code == 200
    html = response.content.decode()
    for complaint in complaints:
        assert complaint.number in html
        assert complaint.complainant_name not in html
        assert complaint.complainant_phone not in html
    assert employer_lqz.name in html


@pytest.mark.django_db
def test_trend_covers_twelve_months_ending_with_the_month_shown(client_supervisor, unit_lqz):
    coverage_check_month(month=datetime.date(2025, 9, 1), today=datetime.date(2026, 1, 15))
    coverage_check_month(month=OCTOBER, today=datetime.date(2026, 1, 15))
    trend = client_supervisor.get(DASHBOARD, {"month": "2025-10"}).context["trend"]
    assert trend["labels"][0] == "2024-11"
    assert trend["labels"][-1] == "2025-10"
    lqz = next(d for d in trend["datasets"] if d["label"] == "李七庄街道")
    assert lqz["data"][:10] == [None] * 10
    assert all(isinstance(v, float) for v in lqz["data"][10:])
