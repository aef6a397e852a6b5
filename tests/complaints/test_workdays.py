"""Working days on the official calendar, across Spring Festival 2026 and its 调休 Saturdays.

The State Council arrangement for 2026 (as chinesecalendar carries it): holiday Sun 15 to
Mon 23 February; make-up working days Sat 14 February and Sat 28 February."""

import datetime

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.workdays import (
    LAST_KNOWN_YEAR,
    CalendarYearUnknown,
    add_workdays,
    add_workdays_estimated,
    is_workday,
    workdays_between,
    workdays_between_estimated,
)

D = datetime.date

# The calendar reads the table of official days first (seeded from the package).
pytestmark = pytest.mark.django_db


def test_the_package_knows_spring_festival_2026_as_we_assume():
    holiday = [D(2026, 2, d) for d in range(15, 24)]
    assert not any(chinese_calendar.is_workday(d) for d in holiday)
    assert chinese_calendar.is_workday(D(2026, 2, 14))  # Saturday, make-up day
    assert chinese_calendar.is_workday(D(2026, 2, 28))  # Saturday, make-up day
    assert D(2026, 2, 14).weekday() == 5 and D(2026, 2, 28).weekday() == 5


def test_make_up_saturday_is_a_working_day_and_festival_weekdays_are_not():
    assert is_workday(D(2026, 2, 14))
    assert is_workday(D(2026, 2, 28))
    assert not is_workday(D(2026, 2, 16))  # Monday inside the holiday
    assert not is_workday(D(2026, 3, 1))  # ordinary Sunday


def test_acceptance_period_across_spring_festival():
    # Received Tuesday 10 Feb: 11, 12, 13, Sat 14 (调休), then nothing until Tue 24.
    assert add_workdays(D(2026, 2, 10), 5) == D(2026, 2, 24)


def test_a_period_ending_on_the_make_up_saturday():
    assert add_workdays(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_workdays(D(2026, 2, 27), 1) == D(2026, 2, 28)
    # Received on Wednesday 25 Feb: 26, 27, Sat 28 (调休), Mon 2, Tue 3 March.
    assert add_workdays(D(2026, 2, 25), 5) == D(2026, 3, 3)


def test_received_on_a_holiday_counts_from_the_next_working_day():
    assert add_workdays(D(2026, 2, 17), 1) == D(2026, 2, 24)


def test_sixty_working_days_match_the_package_count():
    start = D(2026, 2, 10)
    due = add_workdays(start, 60)
    counted = chinese_calendar.get_workdays(start + datetime.timedelta(days=1), due)
    assert len(counted) == 60 and counted[-1] == due
    assert due == D(2026, 5, 14)


def test_zero_days_is_the_start_and_negative_is_refused():
    assert add_workdays(D(2026, 2, 16), 0) == D(2026, 2, 16)
    with pytest.raises(ValueError):
        add_workdays(D(2026, 2, 16), -1)


def test_workdays_between_counts_after_start_up_to_end():
    assert workdays_between(D(2026, 2, 10), D(2026, 2, 24)) == 5
    assert workdays_between(D(2026, 2, 24), D(2026, 2, 24)) == 0
    # Overdue: the day after a Friday deadline, on the following Monday, is 1 day late.
    assert workdays_between(D(2026, 3, 9), D(2026, 3, 6)) == -1
    # Over the holiday: deadline Fri 13 Feb, looked at on Tue 24 Feb -> 14th and 24th.
    assert workdays_between(D(2026, 2, 24), D(2026, 2, 13)) == -2


@given(
    start=st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 6, 30)),
    n=st.integers(min_value=0, max_value=90),
)
def test_between_undoes_add(start, n):
    due = add_workdays(start, n)
    assert workdays_between(start, due) == n
    if n:
        assert is_workday(due)


def test_beyond_the_known_years_is_a_clear_error():
    assert LAST_KNOWN_YEAR >= 2026
    late = D(LAST_KNOWN_YEAR, 12, 20)
    with pytest.raises(CalendarYearUnknown) as error:
        add_workdays(late, 60)
    assert str(LAST_KNOWN_YEAR) in str(error.value)
    with pytest.raises(CalendarYearUnknown):
        is_workday(D(LAST_KNOWN_YEAR + 1, 1, 4))


def test_estimated_variant_skips_weekends_and_statutory_holidays_and_says_so():
    late = D(LAST_KNOWN_YEAR, 12, 31)
    due, estimated = add_workdays_estimated(late, 5)
    assert estimated
    assert due.year == LAST_KNOWN_YEAR + 1 and due.weekday() < 5
    assert due != D(LAST_KNOWN_YEAR + 1, 1, 1)
    # Within the known years the estimate is exact and says so.
    assert add_workdays_estimated(D(2026, 2, 10), 5) == (D(2026, 2, 24), False)
    assert workdays_between_estimated(D(2026, 2, 10), D(2026, 2, 24)) == (5, False)
    _count, guessed = workdays_between_estimated(late, due)
    assert guessed
