"""The single-statement floor of a rerate: what the database alone can do on the same tables.

One ``INSERT ... SELECT`` derives the level and clause codes of every employer from its cases
with the clause logic of ratings/rules.py (C1..C7, B, A) into a scratch table: the floor of a
first rating. Then the same statement as an upsert that changes nothing (every row is already
right): the floor of a full rerate when nothing changed. Both are timed in the same run as the
engine, so the ratio says how far the engine is from what this machine can do.

The floor leaves out what the engine also writes (clause details as JSON, since, next change,
history): it is a lower bound, not a second engine. PostgreSQL only.
"""

import datetime
import time
from dataclasses import dataclass

from django.db import connection

from employers.models import Employer
from inspections.models import Case

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


@dataclass
class Floor:
    first_s: float
    upsert_s: float
    upsert_changed: int
    levels: dict[str, int]


def measure_floor(today: datetime.date, window_months: int) -> Floor:
    """Time the floor's first rating and its nothing-changed upsert; drops the scratch table."""
    select, params = _level_sql(today, window_months)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
        cursor.execute(
            f"CREATE TABLE {SCRATCH} (employer_id integer PRIMARY KEY, level varchar(1) NOT NULL,"
            f" clause_codes varchar(40) NOT NULL, computed_at timestamptz NOT NULL)"
        )
        started = time.perf_counter()
        cursor.execute(
            f"INSERT INTO {SCRATCH} (employer_id, level, clause_codes, computed_at) "
            f"SELECT employer_id, level, clause_codes, now() FROM ({select}) s",
            params,
        )
        first_s = time.perf_counter() - started
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
    return Floor(first_s, upsert_s, changed, levels)
