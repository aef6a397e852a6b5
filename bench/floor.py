"""The single-statement floor of a rerate: what the database alone can do on the same tables.

One ``INSERT ... SELECT`` derives the level and clause codes of every employer from its cases
with the clause logic of ratings/rules.py (C1..C7, B, A) into a scratch table: the floor of a
first rating. Then the same statement as an upsert that changes nothing (every row is already
right): the floor of a full rerate when nothing changed. Both are timed in the same run as the
engine, so the ratio says how far the engine is from what this machine can do.

The floor leaves out what the engine also writes (clause details as JSON, since, next change,
history): it is a lower bound, not a second engine. The write floor (``measure_write_floor``)
adds what the schema costs: the same levels written with every column the engine writes, and a
history row each, into copies of the real tables (their indexes and foreign keys), with the
employers locked as the engine locks them. PostgreSQL only.
"""

import datetime
import os
import time
from dataclasses import dataclass

from django.db import connection, transaction

from employers.models import Employer
from inspections.models import Case, Patrol

SCRATCH = "bench_floor_rating"


def _level_sql(today: datetime.date, window_months: int) -> tuple[str, dict]:
    """SELECT employer_id, level, clause_codes for every employer on ``today``.

    The window is (today - window_months, today], the same month arithmetic as
    core.dates.add_months (PostgreSQL's interval clamps to the month's last day too)."""
    cases = connection.ops.quote_name(Case._meta.db_table)
    employers = connection.ops.quote_name(Employer._meta.db_table)
    sql = f"""
        WITH per AS (
            SELECT c.employer_id,
                   count(*) FILTER (WHERE sanctioned AND c.decided_on > %(start)s) AS windowed,
                   bool_or(sanctioned AND c.order_issued AND c.order_deadline < %(today)s
                           AND (c.order_rectified_on IS NULL
                                OR c.order_rectified_on > %(today)s)) AS c2,
                   bool_or(sanctioned AND c.decision_issued AND c.decision_deadline < %(today)s
                           AND (c.decision_fulfilled_on IS NULL
                                OR c.decision_fulfilled_on > %(today)s)) AS c3,
                   bool_or(sanctioned AND c.penalty_issued
                           AND c.decided_on > %(start)s) AS c4,
                   bool_or(c.mass_incident AND in_window) AS c5,
                   bool_or(c.serious AND in_window) AS c6,
                   bool_or(c.criminal AND in_window) AS c7
            FROM (
                SELECT c.*,
                       (c.order_issued OR c.decision_issued OR c.penalty_issued)
                       AND c.decided_on <= %(today)s AS sanctioned,
                       coalesce(c.decided_on, c.opened_on) > %(start)s
                       AND coalesce(c.decided_on, c.opened_on) <= %(today)s AS in_window
                FROM {cases} c
                WHERE NOT c.withdrawn
            ) c
            GROUP BY c.employer_id
        ), coded AS (
            SELECT per.employer_id, per.windowed,
                   concat_ws(';',
                       CASE WHEN per.windowed >= 3 THEN 'C1' END,
                       CASE WHEN per.c2 THEN 'C2' END, CASE WHEN per.c3 THEN 'C3' END,
                       CASE WHEN per.c4 THEN 'C4' END, CASE WHEN per.c5 THEN 'C5' END,
                       CASE WHEN per.c6 THEN 'C6' END, CASE WHEN per.c7 THEN 'C7' END
                   ) AS codes
            FROM per
        )
        SELECT e.id AS employer_id,
               CASE WHEN coalesce(coded.codes, '') <> '' THEN 'C'
                    WHEN coded.windowed > 0 THEN 'B' ELSE 'A' END AS level,
               coalesce(coded.codes, '') AS clause_codes
        FROM {employers} e LEFT JOIN coded ON coded.employer_id = e.id
    """
    start = _window_start(today, window_months)
    return sql, {"today": today, "start": start}


def _window_start(today: datetime.date, window_months: int) -> datetime.date:
    from core.dates import add_months

    return add_months(today, -window_months)


def backend_cpu_s() -> float | None:
    """CPU seconds this connection's PostgreSQL backend has used (user and system), read
    from /proc when a PostgreSQL server runs on this machine; None otherwise. On a machine shared with
    other work, CPU time says what a job costs better than the wall clock does."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_delta(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else after - before


@dataclass
class Floor:
    first_s: float
    upsert_s: float
    upsert_changed: int
    levels: dict[str, int]
    first_cpu_s: float | None = None


def measure_floor(today: datetime.date, window_months: int) -> Floor:
    """Time the floor's first rating and its nothing-changed upsert; drops the scratch table."""
    select, params = _level_sql(today, window_months)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
        cursor.execute(
            f"CREATE TABLE {SCRATCH} (employer_id integer PRIMARY KEY, level varchar(1) NOT NULL,"
            f" clause_codes varchar(40) NOT NULL, computed_at timestamptz NOT NULL)"
        )
        cpu = backend_cpu_s()
        started = time.perf_counter()
        cursor.execute(
            f"INSERT INTO {SCRATCH} (employer_id, level, clause_codes, computed_at) "
            f"SELECT employer_id, level, clause_codes, now() FROM ({select}) s",
            params,
        )
        first_s = time.perf_counter() - started
        first_cpu_s = cpu_delta(cpu, backend_cpu_s())
        cursor.execute(f"ANALYZE {SCRATCH}")
        started = time.perf_counter()
        cursor.execute(
            f"INSERT INTO {SCRATCH} AS r (employer_id, level, clause_codes, computed_at) "
            f"SELECT employer_id, level, clause_codes, now() FROM ({select}) s "
            f"ON CONFLICT (employer_id) DO UPDATE SET level = EXCLUDED.level, "
            f"clause_codes = EXCLUDED.clause_codes, computed_at = EXCLUDED.computed_at "
            f"WHERE (r.level, r.clause_codes) IS DISTINCT FROM "
            f"(EXCLUDED.level, EXCLUDED.clause_codes)",
            params,
        )
        changed = cursor.rowcount
        upsert_s = time.perf_counter() - started
        cursor.execute(f"SELECT level, count(*) FROM {SCRATCH} GROUP BY level")
        levels = dict(cursor.fetchall())
        cursor.execute(f"DROP TABLE {SCRATCH}")
    return Floor(first_s, upsert_s, changed, levels, first_cpu_s)


WRITE_SCRATCH = ("bench_floor_write_rating", "bench_floor_write_history")


def _scratch_copy(cursor, name: str, model: type) -> None:
    """A copy of ``model``'s table: its columns, defaults, identity and indexes, and its
    foreign key to the employers, deferred to the commit as Django declares it."""
    table = connection.ops.quote_name(model._meta.db_table)
    employers = connection.ops.quote_name(Employer._meta.db_table)
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TABLE {name} (LIKE {table} INCLUDING ALL)")
    cursor.execute(
        f"ALTER TABLE {name} ADD FOREIGN KEY (employer_id) REFERENCES {employers} (id)"
        " DEFERRABLE INITIALLY DEFERRED"
    )


def measure_write_floor(
    today: datetime.date,
    window_months: int,
    *,
    tz_name: str,
    version: str,
    months: dict[str, int],
) -> tuple[float, float | None]:
    """Seconds (and backend CPU seconds) for the engine's writes done by the database alone,
    committed: lock every
    employer, then one statement that inserts each one's rating (the floor's level and clause
    codes; since, next patrol due date and every other column the engine fills) and its
    history row into copies of ratings_rating and ratings_ratinghistory. Drops the copies."""
    from ratings.models import Rating, RatingHistory
    from ratings.patrol_due import next_patrol_due_sql

    rating, history = WRITE_SCRATCH
    select, params = _level_sql(today, window_months)
    employers = connection.ops.quote_name(Employer._meta.db_table)
    patrols = connection.ops.quote_name(Patrol._meta.db_table)
    interval = "CASE s.level " + " ".join(
        f"WHEN '{level}' THEN %(months_{level})s::integer" for level in sorted(months)
    )
    due = next_patrol_due_sql(
        since="e.since", last_patrol_on="p.last", months=f"{interval} END" if months else "NULL"
    )
    params = {
        **params,
        "tz": tz_name,
        "version": version,
        **{f"months_{level}": value for level, value in months.items()},
    }
    with connection.cursor() as cursor:
        _scratch_copy(cursor, rating, Rating)
        _scratch_copy(cursor, history, RatingHistory)
    cpu = backend_cpu_s()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM (SELECT id FROM {employers} FOR UPDATE) locked")
        cursor.execute(
            f"""
            WITH e AS (
                SELECT id, (created_at AT TIME ZONE %(tz)s)::date AS since FROM {employers}
            ), p AS (
                SELECT employer_id, max(patrolled_on) AS last FROM {patrols} GROUP BY employer_id
            ), written AS (
                INSERT INTO {rating} (employer_id, level, clause_codes, clauses, ruleset_version,
                                      since, next_change_on, computed_at, next_patrol_due_on)
                SELECT s.employer_id, s.level, s.clause_codes, '[]'::jsonb, %(version)s,
                       e.since, NULL, now(), {due}
                FROM ({select}) s JOIN e ON e.id = s.employer_id
                LEFT JOIN p ON p.employer_id = s.employer_id
                ORDER BY s.employer_id
                RETURNING employer_id, level, clause_codes, clauses, ruleset_version, computed_at
            )
            INSERT INTO {history} (employer_id, level, clause_codes, clauses, ruleset_version,
                                   computed_at, cause)
            SELECT employer_id, level, clause_codes, clauses, ruleset_version, computed_at, 'full'
            FROM written ORDER BY employer_id
            """,
            params,
        )
        # The foreign keys are checked now rather than at the commit (the same work), so the
        # copies can be dropped when this runs inside an outer transaction too.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    seconds = time.perf_counter() - started
    cpu = cpu_delta(cpu, backend_cpu_s())
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {history}, {rating}")
    return seconds, cpu
