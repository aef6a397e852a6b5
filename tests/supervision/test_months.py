import datetime

import pytest

from core.dates import add_months
from supervision.months import MonthError, Period, parse_month, previous_month

TODAY = datetime.date(2026, 11, 29)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2026-10", datetime.date(2026, 10, 1)), (" 2026-3 ", datetime.date(2026, 3, 1))],
)
def test_parse_month_accepts_yyyy_mm(raw, expected):
    assert parse_month(raw, today=TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("2026/10", "YYYY-MM"),
        ("10-2026", "YYYY-MM"),
        ("", "YYYY-MM"),
        ("2026-13", "01"),
        ("1999-12", "2000"),
        ("2026-12", "not begun"),
    ],
)
def test_parse_month_refuses_with_a_reason(raw, reason, settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"), pytest.raises(MonthError) as exc:
        parse_month(raw, today=TODAY)
    assert reason in str(exc.value)
    assert "\n" not in str(exc.value)


def test_add_months_clamps_to_the_end_of_a_short_month():
    assert add_months(datetime.date(2025, 1, 31), 1) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2024, 3, 31), -1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2025, 11, 30), -12) == datetime.date(2024, 11, 30)
    assert add_months(datetime.date(2025, 12, 15), 1) == datetime.date(2026, 1, 15)


def test_previous_month_across_new_year():
    assert previous_month(datetime.date(2026, 1, 1)) == datetime.date(2025, 12, 1)


def test_period_of_a_past_month_is_judged_at_its_last_day():
    period = Period.of(datetime.date(2026, 2, 1), today=TODAY)
    assert period.last_day == datetime.date(2026, 2, 28)
    assert period.as_of == datetime.date(2026, 2, 28)
    assert period.start.isoformat() == "2026-02-01T00:00:00+08:00"
    assert period.end.isoformat() == "2026-03-01T00:00:00+08:00"
    assert Period.of(datetime.date(2026, 11, 1), today=TODAY).as_of == TODAY
