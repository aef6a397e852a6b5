"""Reads for the uses of the level: patrol due dates, the C watchlist, training status.

Everything here is set-based: one query answers a whole list page, whatever its size.

Next-patrol-due arithmetic happens in the database so that lists can filter and sort on it.
Adding months to a date is not portable SQL (PostgreSQL clamps Jan 31 + 1 month to Feb 28,
SQLite rolls over to Mar 3), so the database computes an integer *due key* instead::

    due_key = (year * 12 + month - 1 + interval_months) * 32 + day

of the base date (the last patrol, or the date the employer was added when it was never
patrolled, with no interval: it is due at once). The key orders exactly like the real due date
(the due date is the base date plus the interval, the day clamped to the month's end) and
``due date < D`` holds exactly when ``due_key < date_key(D)``. ``date_from_due_key`` turns a key
back into the clamped date for display.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import (
    Case,
    DateField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import (
    Coalesce,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    TruncDate,
)

from employers.models import Employer
from employers.roles import sees_whole_district
from inspections.models import Patrol

from . import rules
from .models import Level, PatrolInterval, Rating, TrainingAttendance, TrainingSession

DEFAULT_INTERVAL_MONTHS = {Level.A: 24, Level.B: 12, Level.C: 3}

# The statement of each C clause next to its code: the rules' own wording, one source.
CLAUSE_SHORT_TEXT = {code: rules.CLAUSE_TITLES[code] for code in rules.C_CODES}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus whole months, the day clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def date_key(day: datetime.date) -> int:
    """The due key of a date itself (see the module docstring)."""
    return (day.year * 12 + day.month - 1) * 32 + day.day


def date_from_due_key(key: int) -> datetime.date:
    month_index, day = divmod(key, 32)
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day, last))


def patrol_intervals() -> dict[str, int]:
    """Months between patrols per level (one query); the defaults fill any missing level."""
    intervals = dict(DEFAULT_INTERVAL_MONTHS)
    intervals.update(PatrolInterval.objects.values_list("level", "months"))
    return {str(level): months for level, months in intervals.items()}


def _last_patrol() -> Subquery:
    # The latest patrol date per employer, served by the index patrol_employer_date.
    latest = (
        Patrol.objects.filter(employer=OuterRef("pk"))
        .order_by()
        .values("employer")
        .annotate(last=Max("patrolled_on"))
        .values("last")
    )
    return Subquery(latest, output_field=DateField())


def with_patrol_due(queryset: QuerySet[Employer], intervals: dict[str, int]) -> QuerySet[Employer]:
    """Annotate ``level`` (A when not rated yet), ``last_patrol`` and ``due_key``.

    No extra query: the intervals are inlined as constants."""
    level = Coalesce(F("rating__level"), Value(Level.A))
    interval = Case(
        *[When(rating__level=lvl, then=Value(months)) for lvl, months in intervals.items()],
        default=Value(intervals[Level.A]),
        output_field=IntegerField(),
    )
    queryset = queryset.annotate(level=level, last_patrol=_last_patrol())
    base = Coalesce(F("last_patrol"), TruncDate("created_at"), output_field=DateField())
    months = Case(
        When(last_patrol__isnull=True, then=Value(0)),
        default=interval,
        output_field=IntegerField(),
    )
    return queryset.annotate(
        due_key=(ExtractYear(base) * 12 + ExtractMonth(base) - 1 + months) * 32 + ExtractDay(base)
    )


def _trained_on() -> Subquery:
    """The latest training any of the employer's people attended since it became C."""
    latest = (
        TrainingAttendance.objects.filter(
            employer=OuterRef("pk"),
            attended=True,
            session__held_on__gte=OuterRef("rating__since"),
        )
        .order_by()
        .values("employer")
        .annotate(last=Max("session__held_on"))
        .values("last")
    )
    return Subquery(latest, output_field=DateField())


def employers_patrol_due(
    *, user: AbstractBaseUser | AnonymousUser, intervals: dict[str, int]
) -> QuerySet[Employer]:
    """Active employers the user may see, with ``level``, ``last_patrol`` and ``due_key``."""
    queryset = Employer.objects.visible_to(user).active().select_related("unit")
    return with_patrol_due(queryset, intervals)


def watchlist(
    *, user: AbstractBaseUser | AnonymousUser, intervals: dict[str, int]
) -> QuerySet[Employer]:
    """C employers the user may see, with ``last_patrol``, ``due_key`` and ``trained_on``
    (null: nobody attended a training since the employer became C)."""
    queryset = (
        Employer.objects.visible_to(user)
        .filter(rating__level=Level.C)
        .select_related("unit", "rating")
    )
    return with_patrol_due(queryset, intervals).annotate(trained_on=_trained_on())


def clause_filter(code: str) -> Q:
    """Ratings whose ``clause_codes`` ("C1;C4") contain exactly this code."""
    return (
        Q(rating__clause_codes=code)
        | Q(rating__clause_codes__startswith=f"{code};")
        | Q(rating__clause_codes__endswith=f";{code}")
        | Q(rating__clause_codes__contains=f";{code};")
    )


def c_list(*, level: str = Level.C) -> QuerySet[Rating]:
    """The public list for partner departments: one level, district-wide, stable order."""
    return (
        Rating.objects.filter(level=level)
        .select_related("employer", "employer__unit")
        .order_by("employer_id")
    )


def sessions_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[TrainingSession]:
    """Sessions a user may open: all for supervisors and admins; for an inspector, the ones
    they recorded and the ones with attendees from their units."""
    sessions = TrainingSession.objects.all()
    if sees_whole_district(user):
        return sessions
    if not user.is_authenticated:
        return sessions.none()
    in_units = TrainingAttendance.objects.filter(
        session=OuterRef("pk"), employer__in=Employer.objects.visible_to(user)
    )
    return sessions.filter(Q(created_by=user) | Q(Exists(in_units)))


@dataclass(frozen=True)
class TrainingStatus:
    """Training status of one employer for its panel."""

    is_c: bool
    since: datetime.date | None
    trained_on: datetime.date | None

    @property
    def untrained(self) -> bool:
        return self.is_c and self.trained_on is None


def training_status(employer: Employer) -> TrainingStatus:
    """One query: the rating and the last training attended since the employer became C."""
    row = (
        Employer.objects.filter(pk=employer.pk)
        .annotate(
            level=F("rating__level"),
            since=F("rating__since"),
            trained_on=_trained_on(),
        )
        .values("level", "since", "trained_on")
        .first()
    )
    if row is None or row["level"] != Level.C:
        return TrainingStatus(is_c=False, since=None, trained_on=None)
    return TrainingStatus(is_c=True, since=row["since"], trained_on=row["trained_on"])
