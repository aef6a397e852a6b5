"""Working days on the official Chinese calendar (法定节假日 and 调休 make-up workdays).

The statutory clocks of a complaint (5 working days to decide on acceptance, 60 to investigate,
one extension of up to 30) count working days as the State Council publishes them each year.
Each day is answered from the first of three sources that knows its year:

1. the table of official days (``core.models.OfficialDay``), which administrators fill from the
   State Council notice each year; seeded from chinesecalendar for the years it knew. A year with
   any row there is "entered": a listed date is what its row says, every other day of that year
   follows the plain week (Monday to Friday).
2. the chinesecalendar package, for the years it knows (``FIRST_KNOWN_YEAR`` to
   ``LAST_KNOWN_YEAR``).
3. an estimate, marked 估算 in the pages: Saturdays and Sundays are not working days, and neither
   are the statutory holidays fixed by 全国年节及纪念日放假办法 (as amended in 2024), 13 days:
   元旦 1 January; 春节 the lunar New Year's Eve (the day before the 1st of the first lunar month)
   and the 1st, 2nd and 3rd of the first lunar month; 清明 the day of the Qingming solar term;
   劳动节 1 and 2 May; 端午 the 5th of the fifth lunar month; 中秋 the 15th of the eighth lunar
   month; 国庆 1, 2 and 3 October. Every other Monday to Friday counts as a working day. The
   estimate knows nothing the yearly notice decides: no bridging days off, no 补假 for a holiday on
   a weekend, no make-up Saturdays or Sundays. Lunar dates come from ``lunardate`` (1900-2099),
   the Qingming day from chinesecalendar's solar terms; in a year outside their range only the
   fixed-date holidays are left out.

The strict functions (``is_workday``, ``add_workdays``, ``workdays_between``) raise
``CalendarYearUnknown`` when they would need the estimate; the ``*_estimated`` variants use it and
say so, so a clock can still be shown and is recomputed once the year's schedule is entered
(``core.services.official_days_replace_year`` does it) or the package learns the year
(``manage.py complaint_deadlines``).

Counting follows the usual rule for legal periods: the day the period starts is not counted.
``add_workdays(d, 5)`` is the fifth working day after ``d``.

The table is read once per process and kept: saving or deleting an ``OfficialDay`` drops the copy
at once in that process; other processes see the change within ``TABLE_RECHECK_SECONDS`` (one
small query compares the table's row count and last entry time).
"""

import datetime
import functools
import time
from dataclasses import dataclass

import chinese_calendar
from chinese_calendar.constants import holidays as _HOLIDAYS
from django.db import DatabaseError
from django.db.models import Count, Max
from django.utils.translation import gettext as _
from lunardate import LunarDate

FIRST_KNOWN_YEAR: int = min(_HOLIDAYS).year
LAST_KNOWN_YEAR: int = max(_HOLIDAYS).year
TABLE_RECHECK_SECONDS: float = 60.0

SOURCE_TABLE = "table"
SOURCE_PACKAGE = "package"
SOURCE_ESTIMATE = "estimate"


class CalendarYearUnknown(ValueError):
    """A date lies in a year whose official holiday arrangement the calendar does not know."""

    def __init__(self, date: datetime.date) -> None:
        self.date = date
        super().__init__(
            _(
                "%(date)s lies in %(year)s, a year whose official holidays are neither entered "
                "in the working calendar nor known to the chinesecalendar package (%(first)s to "
                "%(last)s). Deadlines in it are estimated until an administrator enters its "
                "schedule."
            )
            % {
                "date": date.isoformat(),
                "year": date.year,
                "first": FIRST_KNOWN_YEAR,
                "last": LAST_KNOWN_YEAR,
            }
        )


# --- the table, cached per process ---------------------------------------------------------


@dataclass(frozen=True)
class _Table:
    workday_on: dict[datetime.date, bool]
    years: frozenset[int]
    version: tuple[int, object]
    checked_at: float


_table: _Table | None = None


def official_days_invalidate() -> None:
    """Forget this process's copy of the table; the next question reads it again."""
    global _table
    _table = None


def _table_version() -> tuple[int, object]:
    from core.models import OfficialDay

    row = OfficialDay.objects.aggregate(count=Count("id"), last=Max("entered_at"))
    return row["count"], row["last"]


def _official_table() -> _Table:
    """The table as a dict; one small query at most every ``TABLE_RECHECK_SECONDS``."""
    global _table
    from core.models import OfficialDay

    now = time.monotonic()
    table = _table
    if table is not None and now - table.checked_at < TABLE_RECHECK_SECONDS:
        return table
    try:
        version = _table_version()
        if table is not None and version == table.version:
            _table = _Table(table.workday_on, table.years, version, now)
            return _table
        rows = list(OfficialDay.objects.values_list("date", "kind", "year"))
    except DatabaseError:
        # Before the first migrate (or while it runs) there is no table: package and estimate.
        return _Table({}, frozenset(), (0, None), now)
    workday_on = {day: kind == OfficialDay.Kind.WORKDAY for day, kind, _year in rows}
    years = frozenset(year for _day, _kind, year in rows)
    _table = _Table(workday_on, years, version, now)
    return _table


def entered_years() -> frozenset[int]:
    """The years with a schedule in the table (cached, see the module docstring)."""
    return _official_table().years


# --- the estimate --------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def statutory_holidays(year: int) -> frozenset[datetime.date]:
    """The 13 statutory holiday days of ``year`` that the estimate leaves out (module docstring)."""
    d = datetime.date
    days = {d(year, 1, 1), d(year, 5, 1), d(year, 5, 2)}
    days |= {d(year, 10, 1), d(year, 10, 2), d(year, 10, 3)}
    try:
        new_year = LunarDate(year, 1, 1).to_solar_date()
        days |= {new_year + datetime.timedelta(days=k) for k in (-1, 0, 1, 2)}
        days.add(LunarDate(year, 5, 5).to_solar_date())
        days.add(LunarDate(year, 8, 15).to_solar_date())
    except ValueError:
        pass  # outside lunardate's years: the fixed-date holidays only
    try:
        terms = chinese_calendar.get_solar_terms(d(year, 4, 1), d(year, 4, 10))
        days |= {day for day, name in terms if name == "清明"}
    except (NotImplementedError, ValueError, KeyError):
        pass
    return frozenset(days)


# --- one day -------------------------------------------------------------------------------


def year_source(year: int) -> str:
    """Where the days of ``year`` come from: ``SOURCE_TABLE``, ``SOURCE_PACKAGE`` or
    ``SOURCE_ESTIMATE``."""
    if year in _official_table().years:
        return SOURCE_TABLE
    if FIRST_KNOWN_YEAR <= year <= LAST_KNOWN_YEAR:
        return SOURCE_PACKAGE
    return SOURCE_ESTIMATE


def year_is_known(date: datetime.date) -> bool:
    """True when the table has the date's year or the package knows it: no estimate needed."""
    return year_source(date.year) != SOURCE_ESTIMATE


def _is_workday_estimated(date: datetime.date) -> tuple[bool, bool]:
    """(is a working day, was estimated)."""
    table = _official_table()
    listed = table.workday_on.get(date)
    if listed is not None:
        return listed, False
    if date.year in table.years:
        return date.weekday() < 5, False
    if FIRST_KNOWN_YEAR <= date.year <= LAST_KNOWN_YEAR:
        return chinese_calendar.is_workday(date), False
    return date.weekday() < 5 and date not in statutory_holidays(date.year), True


def is_workday(date: datetime.date) -> bool:
    """True on a working day, including a 调休 Saturday or Sunday; raises in an unknown year."""
    workday, estimated = _is_workday_estimated(date)
    if estimated:
        raise CalendarYearUnknown(date)
    return workday


def is_workday_estimated(date: datetime.date) -> tuple[bool, bool]:
    """(is a working day, was estimated); never raises."""
    return _is_workday_estimated(date)


# --- counting ------------------------------------------------------------------------------


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
    """Like ``add_workdays`` but never raises: days in unknown years are estimated.

    Returns (date, estimated) where estimated is True when any counted day was estimated."""
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

    ``workdays_between(d, add_workdays(d, n)) == n``. Raises in an unknown year."""
    count, _estimated = _count_between(start, end, strict=True)
    return count


def workdays_between_estimated(start: datetime.date, end: datetime.date) -> tuple[int, bool]:
    """Like ``workdays_between`` but estimates unknown years; (count, estimated)."""
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
        "Some deadlines fall in a year whose official holidays and make-up working days are not "
        "known yet. They are estimated (weekends and the statutory holidays left out) and marked "
        "“estimated”; they are counted again as soon as an administrator enters that year's "
        "schedule on the working calendar page."
    )


# --- what the calendar page shows ----------------------------------------------------------


@dataclass(frozen=True)
class CalendarDay:
    date: datetime.date
    kind: str  # OfficialDay.Kind value
    name: str


def year_days(year: int) -> list[CalendarDay]:
    """The days of ``year`` that differ from the plain week, from the source that answers for
    the year: the table's rows, the package's, or the estimate's statutory holidays on weekdays.
    One query for a table year."""
    from core.models import OfficialDay

    source = year_source(year)
    if source == SOURCE_TABLE:
        return [
            CalendarDay(date, kind, name)
            for date, kind, name in OfficialDay.objects.filter(year=year).values_list(
                "date", "kind", "name"
            )
        ]
    holiday, workday = OfficialDay.Kind.HOLIDAY, OfficialDay.Kind.WORKDAY
    if source == SOURCE_PACKAGE:
        days = []
        day = datetime.date(year, 1, 1)
        while day.year == year:
            off, name = chinese_calendar.get_holiday_detail(day)
            if off and day.weekday() < 5:
                days.append(CalendarDay(day, holiday, name or ""))
            elif not off and day.weekday() >= 5:
                days.append(CalendarDay(day, workday, name or ""))
            day += datetime.timedelta(days=1)
        return days
    return [
        CalendarDay(day, holiday, "")
        for day in sorted(statutory_holidays(year))
        if day.weekday() < 5
    ]


@dataclass(frozen=True)
class CalendarYear:
    year: int
    source: str
    holidays: int
    workdays: int
    notices: tuple[str, ...] = ()
    entered_by: str = ""
    entered_at: datetime.datetime | None = None


def calendar_years(years: list[int]) -> list[CalendarYear]:
    """A summary line per year for the calendar page; one query for all the table's years."""
    from core.models import OfficialDay

    rows: dict[int, list[tuple]] = {}
    for row in OfficialDay.objects.filter(year__in=years).values_list(
        "year", "kind", "source", "entered_by__username", "entered_at"
    ):
        rows.setdefault(row[0], []).append(row)
    summaries = []
    for year in years:
        source = year_source(year)
        if source == SOURCE_TABLE and year in rows:
            entries = rows[year]
            latest = max(entries, key=lambda row: row[4])
            summaries.append(
                CalendarYear(
                    year=year,
                    source=source,
                    holidays=sum(row[1] == "holiday" for row in entries),
                    workdays=sum(row[1] == "workday" for row in entries),
                    notices=tuple(sorted({row[2] for row in entries if row[2]})),
                    entered_by=latest[3] or "",
                    entered_at=latest[4],
                )
            )
            continue
        days = year_days(year)
        summaries.append(
            CalendarYear(
                year=year,
                source=source,
                holidays=sum(day.kind == "holiday" for day in days),
                workdays=sum(day.kind == "workday" for day in days),
            )
        )
    return summaries
