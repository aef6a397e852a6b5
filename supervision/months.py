"""Calendar months as the coverage checks see them: parsing ``YYYY-MM`` and the period it spans."""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import add_months

_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
EARLIEST_YEAR = 2000


class MonthError(ValueError):
    """A month the checks cannot run for; the message is one line for the user."""


def previous_month(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return add_months(today.replace(day=1), -1)


def parse_month(raw: str, *, today: datetime.date | None = None) -> datetime.date:
    """The first day of the month written ``YYYY-MM``; months that have not begun are refused."""
    match = _MONTH_RE.match(raw or "")
    if not match:
        raise MonthError(
            _("“%(value)s” is not a month: write it as YYYY-MM, e.g. 2026-10.") % {"value": raw}
        )
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise MonthError(_("“%(value)s”: the month must be between 01 and 12.") % {"value": raw})
    if year < EARLIEST_YEAR:
        raise MonthError(
            _("“%(value)s”: months before %(year)s are not checked.")
            % {"value": raw, "year": EARLIEST_YEAR}
        )
    first = datetime.date(year, month, 1)
    today = today or timezone.localdate()
    if first > today:
        raise MonthError(_("“%(value)s” has not begun yet.") % {"value": raw})
    return first


def format_month(month: datetime.date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


@dataclass(frozen=True)
class Period:
    """One month as the checks measure it.

    ``as_of`` is the day the state is judged on: the last day of the month, or today while the
    month is still running (a deadline later this month is not overdue yet)."""

    month: datetime.date
    last_day: datetime.date
    as_of: datetime.date
    # [start, end) in local time, for DateTimeFields such as Employer.created_at
    start: datetime.datetime
    end: datetime.datetime

    @classmethod
    def of(cls, month: datetime.date, *, today: datetime.date | None = None) -> "Period":
        first = month.replace(day=1)
        last_day = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        today = today or timezone.localdate()
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(add_months(first, 1), datetime.time.min, tzinfo=tz)
        return cls(
            month=first,
            last_day=last_day,
            as_of=min(last_day, today),
            start=start,
            end=end,
        )

    @property
    def label(self) -> str:
        return format_month(self.month)
