"""The next patrol due date stored on each rating (``Rating.next_patrol_due_on``).

Next patrol due = the base date plus the months between patrols of the employer's level, where
the base is the last patrol, or the day the current level began for an employer not patrolled
since (a new employer: the day it was registered, its A level began then). Stored, so that
the patrols-due list and the watchlist filter and sort on an index instead of computing dates
for every employer.

The months per level are edited in the planning app, a floor above this one; planning registers
where to read them with ``register_patrol_intervals`` (called from its ``AppConfig.ready``).
Kept current by: the rerate service (the level or its start changed: the bulk rerate writes
the date with each rating, in SQL on PostgreSQL through ``next_patrol_due_sql``), the Patrol
subscription in ``ratings/signals.py`` (after commit), and planning's interval service (an
interval changed).
"""

import datetime
from collections.abc import Callable, Iterable, Iterator, Mapping

from django.db import connection
from django.db.models import Max

from core.dates import add_months
from inspections.models import Patrol

from .models import Rating

CHUNK_SIZE = 5000

IntervalsSource = Callable[[], Mapping[str, int]]
_intervals_source: IntervalsSource | None = None


def register_patrol_intervals(source: IntervalsSource) -> None:
    """Tell the engine where the months between patrols per level come from."""
    global _intervals_source
    _intervals_source = source


def patrol_interval_months() -> dict[str, int]:
    """Months between patrols per level; empty until planning registered its source."""
    return dict(_intervals_source()) if _intervals_source else {}


def next_patrol_due(
    *,
    level: str,
    since: datetime.date,
    last_patrol_on: datetime.date | None,
    intervals: Mapping[str, int],
) -> datetime.date | None:
    """The day the next patrol falls due (None when the level has no interval)."""
    months = intervals.get(level)
    if months is None:
        return None
    # A patrol before the level began does not count: the new level's clock starts then.
    base = max(since, last_patrol_on) if last_patrol_on else since
    return add_months(base, months)


def next_patrol_due_sql(*, since: str, last_patrol_on: str, months: str) -> str:
    """``next_patrol_due`` as a PostgreSQL expression over the given SQL expressions (a rating
    written in SQL gets the same date; tests/ratings/test_bulk_first_rating.py pins the two).
    A NULL ``months`` (no interval for the level) gives NULL; greatest() ignores a NULL last
    patrol; an interval of months keeps the day, clamped to the month's end like add_months."""
    return f"(greatest({since}, {last_patrol_on}) + make_interval(months => {months}))::date"


def _employer_filter(employer_ids: list[int]) -> dict:
    """A range for a dense sorted chunk (a full rerate walks the primary key): 5,000 IN
    parameters cost more to build and plan than the rows they select."""
    low, high = employer_ids[0], employer_ids[-1]
    if high - low + 1 <= 2 * len(employer_ids):
        return {"employer_id__gte": low, "employer_id__lte": high}
    return {"employer_id__in": employer_ids}


def last_patrol_dates(*, employer_ids: list[int]) -> dict[int, datetime.date]:
    """The day of each employer's last patrol (sorted ids; employers never patrolled are
    left out). One query."""
    if not employer_ids:
        return {}
    return dict(
        Patrol.objects.filter(**_employer_filter(employer_ids))
        .order_by()
        .values("employer_id")
        .annotate(last=Max("patrolled_on"))
        .values_list("employer_id", "last")
    )


def _refresh_chunk(employer_ids: list[int], intervals: Mapping[str, int]) -> int:
    """Three queries at most: the ratings, their employers' last patrols, one bulk update."""
    wanted = _employer_filter(employer_ids)
    ratings = list(
        Rating.objects.filter(**wanted).only(
            "id", "employer_id", "level", "since", "next_patrol_due_on"
        )
    )
    if not ratings:
        return 0
    last = last_patrol_dates(employer_ids=employer_ids)
    changed = []
    chosen = set(employer_ids)
    for rating in ratings:
        if rating.employer_id not in chosen:
            continue  # in the range but not asked for
        due = next_patrol_due(
            level=rating.level,
            since=rating.since,
            last_patrol_on=last.get(rating.employer_id),
            intervals=intervals,
        )
        if rating.next_patrol_due_on != due:
            rating.next_patrol_due_on = due
            changed.append(rating)
    _write_due_dates(changed)
    return len(changed)


def _write_due_dates(changed: list[Rating]) -> None:
    """PostgreSQL: one UPDATE ... FROM (VALUES ...) for the chunk; bulk_update's CASE with a
    branch per row costs seconds per thousand rows to build and to plan."""
    if not changed:
        return
    if connection.vendor != "postgresql":
        Rating.objects.bulk_update(changed, ["next_patrol_due_on"], batch_size=1000)
        return
    from psycopg2.extras import execute_values

    table = connection.ops.quote_name(Rating._meta.db_table)
    with connection.cursor() as cursor:
        execute_values(
            cursor.cursor,
            f"UPDATE {table} AS r SET next_patrol_due_on = v.due::date "
            f"FROM (VALUES %s) AS v (id, due) WHERE r.id = v.id",
            [(rating.pk, rating.next_patrol_due_on) for rating in changed],
            page_size=len(changed),
        )


def _id_chunks(employer_ids: Iterable[int], size: int) -> Iterator[list[int]]:
    ordered = sorted(set(employer_ids))
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def patrol_due_refresh(
    *,
    employer_ids: Iterable[int] | None = None,
    levels: Iterable[str] | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> int:
    """Recompute the stored due dates of the given employers (or of every rating, or of the
    ratings at ``levels``); returns how many changed. Set-based, in chunks of employers."""
    intervals = patrol_interval_months()
    if employer_ids is not None:
        return sum(
            _refresh_chunk(chunk, intervals) for chunk in _id_chunks(employer_ids, chunk_size)
        )
    ratings = Rating.objects.order_by("employer_id")
    if levels is not None:
        ratings = ratings.filter(level__in=list(levels))
    changed, last_id = 0, 0
    while True:
        chunk = list(
            ratings.filter(employer_id__gt=last_id).values_list("employer_id", flat=True)[
                :chunk_size
            ]
        )
        if not chunk:
            return changed
        changed += _refresh_chunk(chunk, intervals)
        last_id = chunk[-1]
