"""The coverage dashboard's 12-month chart in Chromium: two lines, the whole district and the
chosen unit, and another unit chosen redraws it in place."""

import datetime

import pytest
from django.utils import timezone

from employers.models import Unit
from supervision.models import CoverageResult
from tests.conftest import LQZ, YLQ

from .journey import open_as

OCTOBER = datetime.date(2025, 10, 1)
LINES = """() => Chart.getChart('coverage-trend').data.datasets
  .map((d) => [d.label, d.data[d.data.length - 1]])"""


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 375, "height": 812}, "locale": "zh-CN"}


@pytest.mark.django_db(transaction=True)
def test_supervisor_reads_the_district_and_one_unit(page, live_server, supervisor):
    for code, passed in ((LQZ, 1), (YLQ, 4), ("120111001", 5)):
        CoverageResult.objects.create(
            unit=Unit.objects.get(code=code),
            month=OCTOBER,
            as_of=OCTOBER,
            checks_passed=passed,
            checks_total=5,
            computed_at=timezone.now(),
        )
    open_as(page, live_server, supervisor.username, "/coverage/?month=2025-10")
    page.wait_for_function("typeof Chart !== 'undefined' && Chart.getChart('coverage-trend')")
    # the district's 10 of 15 checks and the lowest unit, 李七庄 with 1 of 5: not 13 lines
    assert page.evaluate(LINES) == [["全区", 66.7], ["李七庄街道", 20]]
    select = page.get_by_test_id("trend-unit")
    assert select.input_value() == LQZ
    # with scripts the chart follows the choice: no button to press, no page load
    assert not page.locator("[data-trend-submit]").is_visible()
    select.select_option(YLQ)
    assert page.evaluate(LINES) == [["全区", 66.7], ["杨柳青镇", 80]]
    assert f"unit={YLQ}" in page.url
    # the choice stays when another month is asked for
    assert page.locator("#coverage-month-unit").input_value() == YLQ
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
