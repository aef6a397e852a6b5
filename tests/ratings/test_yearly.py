"""Yearly evaluation (年度评价): the command, the service and the supervisor page."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from ratings.models import YearlyEvaluation
from tests.clock import frozen_today
from tests.factories import EmployerFactory
from tests.workbooks import xlsx_rows

from .cases import order_case, penalty_case

D = datetime.date
TODAY = D(2026, 3, 10)
URL = "/ratings/yearly/"


today = frozen_today(TODAY)


@pytest.fixture
def year_world(today, unit_lqz, unit_ylq):
    clean = EmployerFactory(unit=unit_lqz, name="守法公司")
    sanctioned = EmployerFactory(unit=unit_lqz, name="被查处公司")
    old_open = EmployerFactory(unit=unit_ylq, name="旧案未整改公司")
    next_year = EmployerFactory(unit=unit_ylq, name="次年处罚公司")
    late = EmployerFactory(unit=unit_ylq, name="次年成立公司", established_on=D(2026, 1, 5))
    order_case(
        sanctioned,
        number="Y-1",
        opened=D(2025, 4, 1),
        decided=D(2025, 4, 20),
        deadline=D(2025, 5, 20),
        rectified=D(2025, 5, 1),
    )
    order_case(  # 2023 order still open on 2025-12-31, rectified in February 2026
        old_open,
        number="Y-2",
        opened=D(2023, 3, 1),
        decided=D(2023, 3, 10),
        deadline=D(2023, 4, 10),
        rectified=D(2026, 2, 1),
    )
    penalty_case(next_year, number="Y-3", opened=D(2025, 12, 1), decided=D(2026, 1, 3))
    return {
        "clean": clean,
        "sanctioned": sanctioned,
        "old_open": old_open,
        "next_year": next_year,
        "late": late,
    }


def levels(year: int) -> dict[str, tuple[str, str]]:
    return {
        e.employer.name: (e.level, e.clause_codes)
        for e in YearlyEvaluation.objects.filter(year=year).select_related("employer")
    }


@pytest.mark.django_db
def test_evaluate_year_command_freezes_the_calendar_year(year_world):
    out = io.StringIO()
    call_command("evaluate_year", "2025", stdout=out)
    assert out.getvalue().strip() == "year=2025 evaluated=4 A=2 B=1 C=1"
    assert levels(2025) == {
        "守法公司": ("A", ""),
        "被查处公司": ("B", ""),
        "旧案未整改公司": ("C", "C2"),
        "次年处罚公司": ("A", ""),  # its penalty belongs to 2026
    }


@pytest.mark.django_db
def test_rerun_replaces_levels_and_keeps_notification_dates(year_world):
    call_command("evaluate_year", "2025", stdout=io.StringIO())
    evaluation = YearlyEvaluation.objects.get(year=2025, employer=year_world["old_open"])
    evaluation.notified_on = D(2026, 3, 1)
    evaluation.save()
    penalty_case(year_world["clean"], number="Y-4", opened=D(2025, 6, 1), decided=D(2025, 6, 5))
    call_command("evaluate_year", "2025", stdout=io.StringIO())
    assert YearlyEvaluation.objects.filter(year=2025).count() == 4
    assert levels(2025)["守法公司"] == ("C", "C4")
    evaluation.refresh_from_db()
    assert evaluation.notified_on == D(2026, 3, 1)


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["2026", "2027", "1999"])
def test_unfinished_or_absurd_year_is_refused(year, today):
    with pytest.raises(CommandError, match="只能对已结束的年度进行年度评价"):
        call_command("evaluate_year", year)


# --- the page ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"), [("client_lqz", 403), ("client_supervisor", 200), ("client_admin", 200)]
)
def test_page_is_for_supervisors_and_admins(request, who, status, year_world):
    assert request.getfixturevalue(who).get(URL).status_code == status
    assert request.getfixturevalue(who).get(reverse("ratings:yearly_export")).status_code == status


@pytest.mark.django_db
def test_run_needs_confirmation_then_lists_by_level(client_supervisor, year_world):
    run = reverse("ratings:yearly_run")
    confirm_page = client_supervisor.get(run, {"year": 2025})
    assert confirm_page.status_code == 200
    assert "确认进行2025年度评价" in confirm_page.content.decode()
    assert YearlyEvaluation.objects.count() == 0
    client_supervisor.post(run, {"year": 2025})  # not confirmed
    assert YearlyEvaluation.objects.count() == 0
    response = client_supervisor.post(run, {"year": 2025, "confirm": "yes"})
    assert response.status_code == 302
    assert YearlyEvaluation.objects.filter(year=2025).count() == 4
    page = client_supervisor.get(URL, {"year": 2025, "level": "C"}).content.decode()
    assert "旧案未整改公司" in page
    assert "守法公司" not in page
    assert "2025年度评价" in page


@pytest.mark.django_db
def test_run_refuses_the_current_year(client_supervisor, year_world):
    response = client_supervisor.post(
        reverse("ratings:yearly_run"), {"year": 2026, "confirm": "yes"}, follow=True
    )
    assert "只能对已结束的年度进行年度评价" in response.content.decode()
    assert YearlyEvaluation.objects.count() == 0


@pytest.mark.django_db
def test_record_notification_dates(client_supervisor, supervisor, year_world):
    call_command("evaluate_year", "2025", stdout=io.StringIO())
    one = YearlyEvaluation.objects.get(year=2025, employer=year_world["old_open"])
    response = client_supervisor.post(
        reverse("ratings:yearly_notified", kwargs={"pk": one.pk}), {"notified_on": "2026-03-02"}
    )
    assert response.status_code == 302
    one.refresh_from_db()
    assert one.notified_on == D(2026, 3, 2)
    assert one.history.latest().history_user == supervisor

    mark = reverse("ratings:yearly_mark_notified")
    client_supervisor.post(mark, {"year": 2025, "notified_on": "2026-03-05"})  # no confirmation
    assert YearlyEvaluation.objects.filter(year=2025, notified_on__isnull=True).count() == 3
    client_supervisor.post(mark, {"year": 2025, "notified_on": "2026-03-05", "confirm": "on"})
    dates = dict(
        YearlyEvaluation.objects.filter(year=2025).values_list("employer__name", "notified_on")
    )
    assert dates["旧案未整改公司"] == D(2026, 3, 2)  # kept
    assert dates["守法公司"] == D(2026, 3, 5)


@pytest.mark.django_db
def test_inspector_cannot_record_notification(client_lqz, year_world):
    call_command("evaluate_year", "2025", stdout=io.StringIO())
    one = YearlyEvaluation.objects.filter(year=2025).first()
    response = client_lqz.post(
        reverse("ratings:yearly_notified", kwargs={"pk": one.pk}), {"notified_on": "2026-03-02"}
    )
    assert response.status_code == 403
    one.refresh_from_db()
    assert one.notified_on is None


@pytest.mark.django_db
def test_export_in_the_city_layout(client_supervisor, year_world):
    call_command("evaluate_year", "2025", stdout=io.StringIO())
    response = client_supervisor.get(reverse("ratings:yearly_export"), {"year": 2025})
    rows = xlsx_rows(response)
    assert rows[0] == ("统一社会信用代码", "单位名称", "所属街镇", "信用等级", "评级依据")
    assert len(rows) == 5
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["旧案未整改公司"] == (
        year_world["old_open"].credit_code,
        "旧案未整改公司",
        "杨柳青镇",
        "C",
        "C2",
    )


@pytest.mark.django_db
def test_list_query_count_is_flat(client_supervisor, year_world, django_assert_max_num_queries):
    call_command("evaluate_year", "2025", stdout=io.StringIO())
    with django_assert_max_num_queries(15):
        client_supervisor.get(URL, {"year": 2025})
