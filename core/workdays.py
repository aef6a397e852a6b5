"""Working days on the official Chinese calendar (法定节假日 and 调休 make-up workdays).

The statutory clocks of a complaint (5 working days to decide on acceptance, 60 to investigate,
one extension of up to 30) count working days as the State Council publishes them each year.
``chinesecalendar`` carries those notices; it knows only the years published so far. Past its last
year the strict functions raise ``CalendarYearUnknown``; the ``*_estimated`` variants fall back on
Monday to Friday and say so, so a clock can still be shown, marked as an estimate, and recomputed
(``manage.py complaint_deadlines``) once a newer package knows the year.

Counting follows the usual rule for legal periods: the day the period starts is not counted.
``add_workdays(d, 5)`` is the fifth working day after ``d``.
"""

import datetime

import chinese_calendar
from chinese_calendar.constants import holidays as _HOLIDAYS
from django.utils.translation import gettext as _

FIRST_KNOWN_YEAR: int = min(_HOLIDAYS).year
LAST_KNOWN_YEAR: int = max(_HOLIDAYS).year


class CalendarYearUnknown(ValueError):
    """A date lies in a year whose official holiday arrangement the calendar does not know."""

    def __init__(self, date: datetime.date) -> None:
        self.date = date
        super().__init__(
            _(
                "The official working-day calendar knows the years %(first)s to %(last)s only; "
                "%(date)s is outside them. Deadlines past %(last)s are estimated on Monday to "
                "Friday until the calendar package is updated."
            )
            % {"first": FIRST_KNOWN_YEAR, "last": LAST_KNOWN_YEAR, "date": date.isoformat()}
        )


def year_is_known(date: datetime.date) -> bool:
    return FIRST_KNOWN_YEAR <= date.year <= LAST_KNOWN_YEAR


def is_workday(date: datetime.date) -> bool:
    """True on a working day, including a 调休 Saturday or Sunday; raises past the known years."""
    if not year_is_known(date):
        raise CalendarYearUnknown(date)
    return chinese_calendar.is_workday(date)


def _is_workday_estimated(date: datetime.date) -> tuple[bool, bool]:
    """(is a working day, was estimated)."""
    if year_is_known(date):
        return chinese_calendar.is_workday(date), False
    return date.weekday() < 5, True


def add_workdays(start: datetime.date, n: int) -> datetime.date:
    """The n-th working day after ``start`` (``start`` itself not counted); n >= 0.

    n == 0 gives ``start`` itself. Raises ``CalendarYearUnknown`` when the count crosses into a
    year the calendar does not know."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    remaining = n
    while remaining:
        day += datetime.timedelta(days=1)
        if is_workday(day):
            remaining -= 1
    return day


def add_workdays_estimated(start: datetime.date, n: int) -> tuple[datetime.date, bool]:
    """Like ``add_workdays`` but never raises: days in unknown years count Monday to Friday.

    Returns (date, estimated) where estimated is True when any counted day was guessed."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    remaining = n
    estimated = False
    while remaining:
        day += datetime.timedelta(days=1)
        workday, guessed = _is_workday_estimated(day)
        estimated = estimated or guessed
        if workday:
            remaining -= 1
    return day, estimated


def workdays_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end`` is before.

    ``workdays_between(d, add_workdays(d, n)) == n``. Raises past the known years."""
    count, _estimated = _count_between(start, end, strict=True)
    return count


def workdays_between_estimated(start: datetime.date, end: datetime.date) -> tuple[int, bool]:
    """Like ``workdays_between`` but counts unknown years Monday to Friday; (count, estimated)."""
    return _count_between(start, end, strict=False)


def _count_between(start: datetime.date, end: datetime.date, *, strict: bool) -> tuple[int, bool]:
    sign = 1
    if end < start:
        # Overdue by k working days: the working days after ``end`` up to and including
        # ``start``, so the day after a deadline is "1 working day overdue".
        start, end, sign = end, start, -1
    count = 0
    estimated = False
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if strict:
            workday = is_workday(day)
        else:
            workday, guessed = _is_workday_estimated(day)
            estimated = estimated or guessed
        if workday:
            count += 1
    return sign * count, estimated


def calendar_note() -> str:
    """What the UI says when a deadline had to be estimated."""
    return _(
        "Some deadlines fall after %(last)s, a year whose official holidays and make-up working "
        "days the calendar does not know yet. They are estimated on Monday to Friday and marked "
        "“estimated”; an administrator updates the chinesecalendar package and runs "
        "“manage.py complaint_deadlines” to correct them."
    ) % {"last": LAST_KNOWN_YEAR}
