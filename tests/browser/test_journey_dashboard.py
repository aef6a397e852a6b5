import datetime

import pytest
from django.core.cache import cache

from supervision.services import coverage_check_month
from tests.supervision.factories import employer_added_on

from .journey import open_as


@pytest.mark.django_db(transaction=True)
def test_supervisor_opens_a_red_cell_and_sees_the_employers_behind_it(
    page, live_server, supervisor, unit_lqz, unit_ylq
):
    cache.clear()  # the dashboard's rating counts must be this test's
    for day in range(1, 6):
        employer_added_on(
            datetime.date(2025, 10, day), unit=unit_lqz, name=f"李七庄新增{day}号公司"
        )
    added = [
        employer_added_on(
            datetime.date(2025, 10, day), unit=unit_ylq, name=f"杨柳青新增{day}号公司"
        )
        for day in (6, 7)
    ]
    coverage_check_month(month=datetime.date(2025, 10, 1), today=datetime.date(2026, 1, 15))

    open_as(page, live_server, supervisor.username, "/coverage/?month=2025-10")

    matrix = page.get_by_test_id("coverage-matrix")
    assert matrix.is_visible()
    assert matrix.locator("tbody tr").count() == 13
    assert page.get_by_role("heading", name="覆盖率检查 2025-10").is_visible()
    # 李七庄 added five employers: green; 杨柳青 two: red, with the figure
    lqz_row = matrix.locator("tr", has_text="李七庄街道")
    assert (
        lqz_row.locator('[data-check="new_employers"]').get_attribute("data-testid") == "cell-pass"
    )
    red = matrix.locator(
        '[data-testid="cell-fail"][data-check="new_employers"][data-unit="120111101"]'
    )
    assert "2（≥5）" in red.inner_text()
    # the trend chart was drawn by the vendored Chart.js
    assert page.evaluate("typeof Chart") == "function"
    assert page.evaluate("Chart.getChart('coverage-trend') !== undefined")

    red.get_by_role("link").click()
    page.wait_for_load_state()

    assert page.get_by_test_id("cell-title").inner_text() == "杨柳青镇 · 新增用人单位"
    records = page.get_by_test_id("cell-records")
    for employer in added:
        assert records.get_by_role("link", name=employer.name).is_visible()
    assert "李七庄新增1号公司" not in records.inner_text()
    records.get_by_role("link", name=added[0].name).click()
    page.wait_for_load_state()
    assert page.get_by_test_id("employer-name").inner_text() == added[0].name
