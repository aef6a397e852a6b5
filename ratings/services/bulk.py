"""The database-specific fast paths of the rating writes, in one place.

PostgreSQL: first ratings of employers without cases by one INSERT ... SELECT, upserts through
``execute_values``, ANALYZE after a large bulk change. Every other database takes the portable
ORM path (``bulk_create``). The business logic (what to write) stays in ``rerate.py``; this
module only decides how it reaches the tables.
"""

import datetime

from django.db import connection

from employers.models import Employer

from .. import rules
from ..models import Rating, RatingHistory

WRITE_BATCH = 1000

# The stored fields of a rating besides the employer and the time it was computed.
RATING_FIELDS = ("level", "clause_codes", "clauses", "ruleset_version", "since", "next_change_on")
HISTORY_FIELDS = (
    "employer_id",
    "level",
    "clause_codes",
    "clauses",
    "ruleset_version",
    "computed_at",
    "cause",
)


def first_ratings_in_sql() -> bool:
    """Whether first ratings of employers without cases are written by one statement (the
    SQL needs PostgreSQL's time zone conversion; SQLite keeps the Python path)."""
    return connection.vendor == "postgresql"


def rate_first_without_cases(
    employer_ids: list[int], *, version: str, now: datetime.datetime, cause: str, tz_name: str
) -> int:
    """PostgreSQL: the first rating of employers that have no case (A, no clauses, since the
    local day they were added) and its history row, in one INSERT ... SELECT.

    The caller holds the employers' row locks, so no case can be added to them meanwhile, and
    has seen no rating for them; ON CONFLICT keeps the statement harmless if one appears anyway
    (only the rows actually inserted get history). Returns the number of ratings written: the
    same values as ``rerate.never_sanctioned`` through the Python path."""
    if not employer_ids:
        return 0
    rating_table = Rating._meta.db_table
    history_table = RatingHistory._meta.db_table
    employer_table = Employer._meta.db_table
    sql = f"""
        WITH written AS (
            INSERT INTO {rating_table} (employer_id, level, clause_codes, clauses,
                                        ruleset_version, since, next_change_on, computed_at)
            SELECT e.id, %(level)s, '', '[]'::jsonb, %(version)s,
                   (e.created_at AT TIME ZONE %(tz)s)::date, NULL, %(now)s
            FROM {employer_table} e
            WHERE e.id = ANY(%(ids)s)
            ORDER BY e.id
            ON CONFLICT (employer_id) DO NOTHING
            RETURNING employer_id, level, clause_codes, clauses, ruleset_version, computed_at
        )
        INSERT INTO {history_table} (employer_id, level, clause_codes, clauses,
                                     ruleset_version, computed_at, cause)
        SELECT employer_id, level, clause_codes, clauses, ruleset_version, computed_at, %(cause)s
        FROM written
        ORDER BY employer_id
    """
    params = {
        "level": rules.LEVEL_A,
        "version": version,
        "tz": tz_name,
        "now": now,
        "ids": employer_ids,
        "cause": cause,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


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


def write_ratings(writes: list[dict], history: list[dict]) -> None:
    """One upsert for new and changed ratings (INSERT ... ON CONFLICT (employer) DO UPDATE) and
    one insert of history rows, in batches.

    On PostgreSQL the rows go straight to ``execute_values``: building 100,000 model instances
    for ``bulk_create`` costs about as much as the database work itself."""
    if connection.vendor != "postgresql":
        Rating.objects.bulk_create(
            [Rating(**row) for row in writes],
            batch_size=WRITE_BATCH,
            update_conflicts=True,
            unique_fields=["employer"],
            update_fields=[*RATING_FIELDS, "computed_at"],
        )
        RatingHistory.objects.bulk_create(
            [RatingHistory(**row) for row in history], batch_size=WRITE_BATCH
        )
        return
    from psycopg2.extras import Json, execute_values

    columns = ["employer_id", *RATING_FIELDS, "computed_at"]
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in columns[1:])
    rating_sql = (
        f"INSERT INTO {Rating._meta.db_table} ({', '.join(columns)}) VALUES %s "
        f"ON CONFLICT (employer_id) DO UPDATE SET {updates}"
    )
    history_columns = list(HISTORY_FIELDS)
    history_sql = (
        f"INSERT INTO {RatingHistory._meta.db_table} ({', '.join(history_columns)}) VALUES %s"
    )

    def values(row: dict, names: list[str]) -> tuple:
        return tuple(Json(row[name]) if name == "clauses" else row[name] for name in names)

    with connection.cursor() as cursor:
        if writes:
            execute_values(
                cursor.cursor,
                rating_sql,
                [values(r, columns) for r in writes],
                page_size=max(len(writes), 1),
            )
        if history:
            execute_values(
                cursor.cursor,
                history_sql,
                [values(h, history_columns) for h in history],
                page_size=max(len(writes), 1),
            )
