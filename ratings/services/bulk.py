"""The database-specific fast paths of the rating writes, in one place.

PostgreSQL: every write of a chunk (the ratings, their next patrol due dates, their history
rows) is one statement, including the first ratings of employers without cases, which the
database derives itself; ANALYZE after a large bulk change. Every other database takes the
portable ORM path (``bulk_create``). The business logic (what to write) stays in
``rerate.py``; this module only decides how it reaches the tables.
"""

import datetime
import json
from collections.abc import Mapping, Sequence

from django.db import connection

from employers.models import Employer
from inspections.models import Patrol

from .. import rules
from ..models import Rating, RatingHistory
from ..patrol_due import last_patrol_dates, next_patrol_due, next_patrol_due_sql

WRITE_BATCH = 1000

# The stored fields of a rating besides the employer and the time it was computed.
RATING_FIELDS = ("level", "clause_codes", "clauses", "ruleset_version", "since", "next_change_on")


def history_row(
    employer_id: int,
    values: Mapping,
    *,
    computed_at: datetime.datetime,
    cause: str,
    detail: str = "",
) -> RatingHistory:
    """The history row (unsaved) of a rating whose stored ``values`` just changed."""
    return RatingHistory(
        employer_id=employer_id,
        level=values["level"],
        clause_codes=values["clause_codes"],
        clauses=values["clauses"],
        ruleset_version=values["ruleset_version"],
        computed_at=computed_at,
        cause=cause,
        cause_detail=detail,
    )


def first_ratings_in_sql() -> bool:
    """Whether first ratings of employers without cases are derived by the database (the SQL
    needs PostgreSQL's time zone conversion; SQLite keeps the Python path)."""
    return connection.vendor == "postgresql"


def write_ratings(
    writes: list[dict],
    *,
    history_ids: set[int],
    unrated_ids: set[int] = frozenset(),
    first_ids: Sequence[int] = (),
    version: str,
    now: datetime.datetime,
    cause: str,
    intervals: Mapping[str, int],
    tz_name: str = "",
) -> None:
    """Write one chunk: upsert the ratings in ``writes`` (``employer_id`` and
    ``RATING_FIELDS``), all computed at ``now`` with rule set ``version``, each with its next
    patrol due date (``intervals``: months per level); a history row (``cause``) for the
    employers in ``history_ids``. ``unrated_ids``: the employers in ``writes`` that had no
    rating when the caller looked.

    ``first_ids`` (PostgreSQL only, see ``first_ratings_in_sql``): employers without cases
    and without a rating; the statement rates them itself, A since the local day they were
    added (``tz_name``), the values ``rerate.never_sanctioned`` gives, with a history row each.

    The caller holds the employers' row locks, and every writer of ratings takes them first:
    so the ratings of unrated employers are plain inserts (an upsert probes the unique index
    once more per row), the others upserts."""
    if connection.vendor != "postgresql":
        assert not first_ids, "first ratings in SQL need PostgreSQL"
        _write_with_orm(writes, history_ids=history_ids, now=now, cause=cause, intervals=intervals)
        return
    if not writes and not first_ids:
        return
    every = sorted([*(row["employer_id"] for row in writes), *first_ids])
    low, high = every[0], every[-1]
    # A range for a dense chunk (a full rerate walks the primary key), the ids otherwise. Ids
    # go in as one array literal and are joined through unnest(): an ANY() over thousands of
    # parameters costs more to parse and to plan than the rows it selects.
    dense = high - low + 1 <= 2 * len(every)
    patrols = (
        "employer_id BETWEEN %(low)s AND %(high)s"
        if dense
        else "employer_id IN (SELECT unnest(%(every)s::integer[]))"
    )
    # Without the range the planner hashes the whole employer table to find a chunk's rows.
    employers = "e.id BETWEEN %(low)s AND %(high)s" if dense else "true"
    levels = [
        level for level in (rules.LEVEL_A, rules.LEVEL_B, rules.LEVEL_C) if level in intervals
    ]
    months = "CASE r.level " + " ".join(
        f"WHEN '{level}' THEN %(months_{level})s::integer" for level in levels
    )
    months = f"{months} END" if levels else "NULL::integer"
    due = next_patrol_due_sql(since="r.since", last_patrol_on="p.last", months=months)
    assigned = [*RATING_FIELDS, "next_patrol_due_on", "computed_at"]
    columns = ", ".join(["employer_id", *assigned])
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in assigned)
    returned = "employer_id, level, clause_codes, clauses, ruleset_version"
    # The evaluated rows travel as one JSON document (json_to_recordset parses it in C).
    sql = f"""
        WITH rows AS (
            SELECT employer_id, level, clause_codes, clauses, since, next_change_on, history,
                   fresh
            FROM json_to_recordset(%(rows)s::json) AS evaluated (
                employer_id integer, level varchar(1), clause_codes varchar(40), clauses jsonb,
                since date, next_change_on date, history boolean, fresh boolean)
            UNION ALL
            SELECT e.id, %(level_a)s, '', '[]'::jsonb,
                   (e.created_at AT TIME ZONE %(tz)s)::date, NULL::date, true, true
            FROM unnest(%(first)s::integer[]) AS first (id)
            JOIN {Employer._meta.db_table} e ON e.id = first.id
            WHERE {employers}
        ), last_patrol AS (
            SELECT employer_id, max(patrolled_on) AS last
            FROM {Patrol._meta.db_table}
            WHERE {patrols}
            GROUP BY employer_id
        ), prepared AS (
            SELECT r.employer_id, r.level, r.clause_codes, r.clauses,
                   %(version)s::varchar AS ruleset_version, r.since, r.next_change_on,
                   {due} AS next_patrol_due_on, %(now)s::timestamptz AS computed_at, r.fresh
            FROM rows r LEFT JOIN last_patrol p ON p.employer_id = r.employer_id
        ), inserted AS (
            INSERT INTO {Rating._meta.db_table} ({columns})
            SELECT {columns} FROM prepared WHERE fresh ORDER BY employer_id
            RETURNING {returned}
        ), upserted AS (
            INSERT INTO {Rating._meta.db_table} ({columns})
            SELECT {columns} FROM prepared WHERE NOT fresh ORDER BY employer_id
            ON CONFLICT (employer_id) DO UPDATE SET {updates}
            RETURNING {returned}
        )
        INSERT INTO {RatingHistory._meta.db_table} (employer_id, level, clause_codes, clauses,
                                                    ruleset_version, computed_at, cause)
        SELECT w.employer_id, w.level, w.clause_codes, w.clauses, w.ruleset_version, %(now)s,
               %(cause)s
        FROM (SELECT * FROM inserted UNION ALL SELECT * FROM upserted) w
        JOIN rows r ON r.employer_id = w.employer_id
        WHERE r.history
        ORDER BY w.employer_id
    """
    rows = [
        {
            "employer_id": row["employer_id"],
            "level": row["level"],
            "clause_codes": row["clause_codes"],
            "clauses": row["clauses"],
            "since": row["since"].isoformat(),
            "next_change_on": row["next_change_on"] and row["next_change_on"].isoformat(),
            "history": row["employer_id"] in history_ids,
            "fresh": row["employer_id"] in unrated_ids,
        }
        for row in writes
    ]
    params = {
        "rows": json.dumps(rows, ensure_ascii=False),
        "first": _array(first_ids),
        "every": _array(every),
        "low": low,
        "high": high,
        "level_a": rules.LEVEL_A,
        "tz": tz_name,
        "version": version,
        "now": now,
        "cause": cause,
        **{f"months_{level}": intervals[level] for level in levels},
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _array(ids: Sequence[int]) -> str:
    """Integers as one PostgreSQL array literal (``{1,2,3}``)."""
    return "{" + ",".join(map(str, ids)) + "}"


def _write_with_orm(
    writes: list[dict],
    *,
    history_ids: set[int],
    now: datetime.datetime,
    cause: str,
    intervals: Mapping[str, int],
) -> None:
    """The portable path: the due dates from ``patrol_due.next_patrol_due``, then
    ``bulk_create`` (an upsert for the ratings)."""
    if not writes:
        return
    last = last_patrol_dates(employer_ids=sorted(row["employer_id"] for row in writes))
    Rating.objects.bulk_create(
        [
            Rating(
                **row,
                computed_at=now,
                next_patrol_due_on=next_patrol_due(
                    level=row["level"],
                    since=row["since"],
                    last_patrol_on=last.get(row["employer_id"]),
                    intervals=intervals,
                ),
            )
            for row in writes
        ],
        batch_size=WRITE_BATCH,
        update_conflicts=True,
        unique_fields=["employer"],
        update_fields=[*RATING_FIELDS, "next_patrol_due_on", "computed_at"],
    )
    RatingHistory.objects.bulk_create(
        [
            history_row(row["employer_id"], row, computed_at=now, cause=cause)
            for row in writes
            if row["employer_id"] in history_ids
        ],
        batch_size=WRITE_BATCH,
    )


# Autovacuum analyses a table only after 10% of it changed (and a while later): right after a
# bulk rerate the planner would still estimate the levels of before (2,086 C for 25,272 at 1M),
# and pick nested loops for the watchlist. A few percent is enough to mislead it.
ANALYZE_CHANGED_SHARE = 0.05


def analyze_ratings_if_changed(changed: int) -> bool:
    """PostgreSQL: refresh ratings_rating's statistics when a bulk rerate changed more than
    ANALYZE_CHANGED_SHARE of its rows. Returns whether it did."""
    if connection.vendor != "postgresql" or not changed:
        return False
    table = Rating._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        row = cursor.fetchone()
        # reltuples is -1 (PostgreSQL 14+) before the table was ever analysed.
        estimated = row[0] if row else -1
        if estimated >= 0 and changed <= ANALYZE_CHANGED_SHARE * estimated:
            return False
        cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return True
