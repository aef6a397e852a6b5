"""Reads of inspection planning: patrol due dates, the C watchlist, training status.

Everything here is set-based: one query answers a whole list page, whatever its size.

Next patrol due = last patrol, or the day the current level began for an employer not patrolled
since (a new employer: the day it was registered), plus the interval of the level. The date is
stored on the rating (``Rating.next_patrol_due_on``, kept by ``ratings.patrol_due``), so "due
on or before D" is a range on its index and the lists sort on it; nothing here computes it.

The lists still carry an integer *due key* (``key(date) = (year * 12 + month - 1) * 32 + day``)
for the tables and exports that compare it with today's key; ``date_from_due_key`` decodes it.
An employer without a rating yet (it is rated when its registration commits) is never due.
"""

import calendar
import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import (
    Case,
    Count,
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
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import (
    Cast,
    Coalesce,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
)

from core.dates import add_months
from core.roles import sees_whole_district
from employers.models import Employer
from inspections.models import Patrol
from ratings import rules
from ratings.models import Level
from ratings.procedure.models import objection_open_exists
from ratings.selectors import clause_filter  # noqa: F401 - planning.filters reads it from here

from .models import DEFAULT_INTERVAL_MONTHS, PatrolInterval, TrainingAttendance, TrainingSession

# The statement of each C clause next to its code: the rules' own wording, one source.
CLAUSE_SHORT_TEXT = {code: rules.CLAUSE_TITLES[code] for code in rules.C_CODES}


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


def _key_of(day: Any) -> CombinedExpression:
    """SQL for ``date_key`` of a date expression, in integers (PostgreSQL's EXTRACT is numeric)."""
    year = Cast(ExtractYear(day), IntegerField())
    month = Cast(ExtractMonth(day), IntegerField())
    return (year * 12 + month - 1) * 32 + Cast(ExtractDay(day), IntegerField())


def _last_patrol_key() -> Subquery:
    """Key of the employer's latest patrol: the max by the index patrol_employer_date
    (employer, -patrolled_on), read as its first entry."""
    latest = (
        Patrol.objects.filter(employer=OuterRef("pk"))
        .order_by("-patrolled_on")
        .annotate(key=_key_of(F("patrolled_on")))
        .values("key")[:1]
    )
    return Subquery(latest, output_field=IntegerField())


def _interval_by_level(intervals: dict[str, int], per_level: dict[str, Any]) -> Case:
    """A CASE on the employer's level (no rating yet: A) choosing ``per_level[level]``."""
    return Case(
        *[When(rating__level=lvl, then=Value(per_level[lvl])) for lvl in intervals],
        default=Value(per_level[Level.A]),
    )


def with_patrol_due(queryset: QuerySet[Employer], intervals: dict[str, int]) -> QuerySet[Employer]:
    """Annotate ``level`` (A when not rated yet), ``last_patrol_key`` (null: never patrolled),
    ``patrol_due_on`` (the stored date) and ``due_key``. The last patrol is one correlated
    lookup per row, and only for rows that are returned; ``intervals`` is no longer needed
    (the stored date used it) and stays for the callers."""
    return queryset.annotate(
        level=Coalesce(F("rating__level"), Value(Level.A)),
        last_patrol_key=_last_patrol_key(),
        patrol_due_on=F("rating__next_patrol_due_on"),
        due_key=_key_of(F("rating__next_patrol_due_on")),
    )


def last_patrol_on(row: Employer) -> datetime.date | None:
    key = getattr(row, "last_patrol_key", None)
    return date_from_due_key(key) if key is not None else None


def due_on(row: Employer) -> datetime.date | None:
    return getattr(row, "patrol_due_on", None)


def due_cutoff(day: datetime.date, months: int) -> datetime.date:
    """The earliest last-patrol date whose next patrol falls due after ``day``: a patrolled
    employer is due on or before ``day`` exactly when its last patrol is before this date."""
    cutoff = add_months(day, -months)
    # Clamping makes add_months(cutoff, months) <= day; step to the first date past it
    # (at most three days, at a month end).
    while add_months(cutoff, months) <= day:
        cutoff += datetime.timedelta(days=1)
    return cutoff


def filter_due_by(
    queryset: QuerySet[Employer], day: datetime.date, intervals: dict[str, int] | None = None
) -> QuerySet[Employer]:
    """Employers whose next patrol falls due on or before ``day`` (the index rating_patrol_due)."""
    return queryset.filter(rating__next_patrol_due_on__lte=day)


def filter_overdue(
    queryset: QuerySet[Employer], today: datetime.date, intervals: dict[str, int] | None = None
) -> QuerySet[Employer]:
    """Overdue: the due date has passed, i.e. it is yesterday or earlier."""
    return filter_due_by(queryset, today - datetime.timedelta(days=1), intervals)


# A list whose rows number this many or more shares its per-unit counts for a minute (keyed by
# the counting statement, so by filter, day and what the user may see); smaller ones count
# exactly on every view. The rows shown are always current.
LARGE_COUNT = 5000
SHARED_COUNT_SECONDS = 60


def due_counts_by_unit(
    rows: QuerySet[Employer], overdue_before: datetime.date | None
) -> dict[tuple[str, str], tuple[int, int]]:
    """(unit code, unit name) -> (rows, of them due before ``overdue_before``; None: all), in
    one grouped statement over the stored due date (``rows`` are the list's rows)."""
    overdue = (
        Count("id", filter=Q(rating__next_patrol_due_on__lt=overdue_before))
        if overdue_before is not None
        else Count("id")
    )
    grouped = (
        rows.order_by()
        .values_list("unit__code", "unit__name")
        .annotate(n=Count("id"), overdue=overdue)
    )
    try:
        sql, params = grouped.query.sql_with_params()
    except EmptyResultSet:
        return {}
    key = "planning:due-by-unit:" + hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()[:32]
    counts = cache.get(key)
    if counts is None:
        counts = {(code, name): (n, late) for code, name, n, late in grouped}
        if sum(n for n, _late in counts.values()) >= LARGE_COUNT:
            cache.set(key, counts, timeout=SHARED_COUNT_SECONDS)
    return counts


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


def filter_untrained(queryset: QuerySet[Employer]) -> QuerySet[Employer]:
    """C employers none of whose people attended a training since they became C."""
    attended = TrainingAttendance.objects.filter(
        employer=OuterRef("pk"),
        attended=True,
        session__held_on__gte=OuterRef("rating__since"),
    )
    return queryset.filter(~Exists(attended))


def employers_patrol_due(
    *, user: AbstractBaseUser | AnonymousUser, intervals: dict[str, int]
) -> QuerySet[Employer]:
    """Active employers the user may see, annotated as ``with_patrol_due`` says."""
    queryset = Employer.objects.visible_to(user).active().select_related("unit")
    return with_patrol_due(queryset, intervals)


def watchlist(
    *, user: AbstractBaseUser | AnonymousUser, intervals: dict[str, int]
) -> QuerySet[Employer]:
    """C employers the user may see, with the ``with_patrol_due`` annotations and ``trained_on``
    (null: nobody attended a training since the employer became C)."""
    queryset = (
        Employer.objects.visible_to(user)
        .filter(rating__level=Level.C)
        .select_related("unit", "rating")
    )
    return with_patrol_due(queryset, intervals).annotate(
        trained_on=_trained_on(), objection_open=objection_open_exists()
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
