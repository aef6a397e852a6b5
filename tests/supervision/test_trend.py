"""The dashboard's 12-month chart: the district's share of checks passed as one line and one
chosen unit's as the other (supervision.selectors.trend)."""

import datetime

import pytest
from django.utils import timezone

from employers.models import Unit
from supervision.models import CoverageResult
from supervision.selectors import trend
from tests.conftest import LQZ, YLQ

OCTOBER = datetime.date(2025, 10, 1)
SEPTEMBER = datetime.date(2025, 9, 1)
DASHBOARD = "/coverage/"


def result(code: str, month: datetime.date, passed: int, total: int = 5) -> CoverageResult:
    return CoverageResult.objects.create(
        unit=Unit.objects.get(code=code),
        month=month,
        as_of=month,
        checks_passed=passed,
        checks_total=total,
        computed_at=timezone.now(),
    )


@pytest.fixture
def two_months(db):
    # October: 李七庄 1 of 5, 杨柳青 4 of 5, 西营门 5 of 5; September: 李七庄 alone, 5 of 5
    result(LQZ, OCTOBER, 1)
    result(YLQ, OCTOBER, 4)
    result("120111001", OCTOBER, 5)
    result(LQZ, SEPTEMBER, 5)


@pytest.mark.django_db
def test_district_line_is_all_checks_passed_over_all_checks_run(two_months):
    chart = trend(units=Unit.objects.order_by("code"), last_month=OCTOBER)
    assert chart["labels"][-2:] == ["2025-09", "2025-10"]
    # (1 + 4 + 5) of 15 in October; September only 李七庄's 5 of 5; no results before
    assert chart["district"][-1] == round(100 * 10 / 15, 1)
    assert chart["district"][-2] == 100.0
    assert chart["district"][:-2] == [None] * 10
    assert len(chart["datasets"]) == 13
    lqz = next(d for d in chart["datasets"] if d["code"] == LQZ)
    assert lqz["label"] == "李七庄街道"
    assert lqz["data"][-2:] == [100.0, 20.0]


@pytest.mark.django_db
def test_the_unit_drawn_is_the_one_asked_for_else_the_lowest(two_months):
    units = Unit.objects.order_by("code")
    # nothing asked: 李七庄, the lowest share in October
    assert trend(units=units, last_month=OCTOBER)["selected"] == LQZ
    assert trend(units=units, last_month=OCTOBER, selected=YLQ)["selected"] == YLQ
    # a code that is not a unit of the list is ignored
    assert trend(units=units, last_month=OCTOBER, selected="nonsense")["selected"] == LQZ
    # the latest month with results decides: in September 李七庄 was the only one
    assert trend(units=units, last_month=SEPTEMBER)["selected"] == LQZ


@pytest.mark.django_db
def test_an_inspector_chooses_among_their_units_but_sees_the_district_line(two_months):
    chart = trend(units=Unit.objects.filter(code=LQZ), last_month=OCTOBER, selected=YLQ)
    assert [d["code"] for d in chart["datasets"]] == [LQZ]
    assert chart["selected"] == LQZ
    assert chart["district"][-1] == round(100 * 10 / 15, 1)


@pytest.mark.django_db
def test_without_results_the_first_unit_is_drawn(db):
    chart = trend(units=Unit.objects.order_by("code"), last_month=OCTOBER)
    assert chart["selected"] == "120111001"
    assert chart["district"] == [None] * 12


@pytest.mark.django_db
def test_dashboard_offers_the_units_and_draws_the_one_asked_for(client_supervisor, two_months):
    html = client_supervisor.get(DASHBOARD, {"month": "2025-10", "unit": YLQ}).content.decode()
    assert 'data-testid="trend-unit"' in html
    assert f'<option value="{YLQ}" selected>杨柳青镇</option>' in html
    assert 'data-district-label="全区"' in html
