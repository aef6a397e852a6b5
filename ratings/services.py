"""Writes of the rating engine: current ratings, their history, yearly evaluations.

Every path gathers facts with one values() query, asks ``rules.py``, and writes only what
changed. Reruns of the same employer are serialised by locking its employer row, so two
concurrent reruns leave one correct rating and one history entry.
"""

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Case as Conditional
from django.db.models import F, JSONField, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from employers.models import Employer
from inspections.models import Case

from . import rules
from .models import Rating, RatingHistory, YearlyEvaluation
from .selectors import case_facts_by_employer, employer_case_facts, ratings_due_employer_ids

CHUNK_SIZE = 5000
WRITE_BATCH = 1000

# Why a rating was recomputed: the key is stored in RatingHistory.cause, the label is shown.
CAUSES = {
    "case_changed": gettext_lazy("Case record changed"),
    "case_deleted": gettext_lazy("Case record deleted"),
    "employer_added": gettext_lazy("Employer added"),
    "roster_import": gettext_lazy("Roster import"),
    "case_import": gettext_lazy("Case ledger import"),
    "time": gettext_lazy("Time passed (daily sweep)"),
    "full": gettext_lazy("Full re-rating"),
    "command": gettext_lazy("Re-rated by command"),
    "demo": gettext_lazy("Demo data"),
}

_RATING_FIELDS = ("level", "clause_codes", "clauses", "ruleset_version", "since", "next_change_on")
_COMPARED_FIELDS = tuple(name for name in _RATING_FIELDS if name != "clauses")


def _never_sanctioned(added_on: datetime.date, version: str) -> dict:
    """The stored values of an employer without cases."""
    return {
        "level": rules.LEVEL_A,
        "clause_codes": "",
        "clauses": [],
        "ruleset_version": version,
        "since": added_on,
        "next_change_on": None,
    }


@dataclass(frozen=True)
class RerateSummary:
    rated: int = 0
    changed: int = 0
    level_changes: int = 0

    def __add__(self, other: "RerateSummary") -> "RerateSummary":
        return RerateSummary(
            self.rated + other.rated,
            self.changed + other.changed,
            self.level_changes + other.level_changes,
        )

    @property
    def line(self) -> str:
        return f"rated={self.rated} changed={self.changed} history={self.level_changes}"


def clauses_json(clauses: Sequence[rules.Clause]) -> list[dict]:
    """The stored form of clauses (Rating.clauses): codes, case ids and the dates behind them."""
    return [
        {
            "code": clause.code,
            "case_ids": list(clause.case_ids),
            "cases": [
                {
                    "id": item.case_id,
                    "number": item.number,
                    "on": item.on.isoformat(),
                    "until": item.until.isoformat() if item.until else None,
                }
                for item in clause.cases
            ],
        }
        for clause in clauses
    ]


def _rating_values(result: rules.Rating, *, added_on: datetime.date) -> dict:
    return {
        "level": result.level,
        "clause_codes": result.clause_codes,
        "clauses": clauses_json(result.clauses),
        "ruleset_version": settings.RATING_RULESET_VERSION,
        # An employer that has always been at its level (a new one: A) is so since it was added.
        "since": result.since or added_on,
        "next_change_on": result.next_change_on,
    }


def _needs_history(old: dict | None, new: dict) -> bool:
    return old is None or (old["level"], old["clause_codes"]) != (
        new["level"],
        new["clause_codes"],
    )


def _same(old: dict | None, new: dict) -> bool:
    return old is not None and all(old[name] == new[name] for name in _RATING_FIELDS)


def _local_date(moment: datetime.datetime, tz: datetime.tzinfo | None = None) -> datetime.date:
    return moment.astimezone(tz or timezone.get_current_timezone()).date()


def _employer_filter(employer_ids: list[int], field: str) -> dict:
    """A filter on ``field`` for a sorted chunk of ids: a range when the ids are dense (a full
    rerate walks the primary key), cheaper to build and to plan than 5,000 IN parameters."""
    low, high = employer_ids[0], employer_ids[-1]
    if high - low + 1 <= 2 * len(employer_ids):
        return {f"{field}__gte": low, f"{field}__lte": high}
    return {f"{field}__in": employer_ids}


def employer_rerate(
    *, employer_id: int, cause: str, today: datetime.date | None = None
) -> Rating | None:
    """Recompute one employer's rating; append history when the level or clauses change.

    Seven queries at most (lock, cases, rating, write, history, and the savepoint pair).
    Returns the current rating, or None when the employer no longer exists."""
    today = today or timezone.localdate()
    window = settings.RATING_WINDOW_MONTHS
    with transaction.atomic():
        # Locking the employer row serialises concurrent reruns of the same employer.
        added = list(
            Employer.objects.select_for_update()
            .filter(pk=employer_id)
            .values_list("created_at", flat=True)
        )
        if not added:
            return None
        facts = employer_case_facts(employer_id=employer_id)
        result = rules.evaluate(facts, today=today, window_months=window)
        new = _rating_values(result, added_on=_local_date(added[0]))
        rating = Rating.objects.filter(employer_id=employer_id).first()
        old = {name: getattr(rating, name) for name in _RATING_FIELDS} if rating else None
        if _same(old, new):
            return rating
        now = timezone.now()
        if rating is None:
            rating = Rating.objects.create(employer_id=employer_id, computed_at=now, **new)
        else:
            for name, value in new.items():
                setattr(rating, name, value)
            rating.computed_at = now
            rating.save(update_fields=[*_RATING_FIELDS, "computed_at"])
        if _needs_history(old, new):
            RatingHistory.objects.create(
                employer_id=employer_id,
                level=new["level"],
                clause_codes=new["clause_codes"],
                clauses=new["clauses"],
                ruleset_version=new["ruleset_version"],
                computed_at=now,
                cause=cause,
            )
    return rating


def _chunks_of_ids(employer_ids: Iterable[int], size: int) -> Iterator[list[int]]:
    ordered = sorted(set(employer_ids))
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def _rerate_chunk(employer_ids: list[int], *, cause: str, today: datetime.date) -> RerateSummary:
    """Rerate up to CHUNK_SIZE employers with a fixed number of queries."""
    window = settings.RATING_WINDOW_MONTHS
    tz = timezone.get_current_timezone()
    wanted = set(employer_ids)
    with transaction.atomic():
        # Rows outside the chunk that a range also matches are dropped by ``wanted``.
        added = {
            pk: created
            for pk, created in Employer.objects.select_for_update()
            .filter(**_employer_filter(employer_ids, "pk"))
            .order_by("pk")
            .values_list("pk", "created_at")
            if pk in wanted
        }
        facts = case_facts_by_employer(
            Case.objects.filter(**_employer_filter(employer_ids, "employer_id"))
        )
        existing = {
            row["employer_id"]: row
            for row in Rating.objects.filter(**_employer_filter(employer_ids, "employer_id"))
            # An A rating has no clauses: skip decoding JSON for the vast majority of rows.
            .annotate(
                stored_clauses=Conditional(
                    When(level=rules.LEVEL_A, then=Value(None)),
                    default=F("clauses"),
                    output_field=JSONField(),
                )
            )
            .values("employer_id", "stored_clauses", *_COMPARED_FIELDS)
        }
        now = timezone.now()
        version = settings.RATING_RULESET_VERSION
        first_rated = 0
        if _first_ratings_in_sql():
            # Employers without cases and without a rating (a new roster, a first full rerate)
            # all get the same answer; the database writes it without a Python round trip.
            unrated = [pk for pk in added if pk not in facts and pk not in existing]
            first_rated = _rate_first_without_cases(
                unrated,
                version=version,
                now=now,
                cause=cause,
                tz_name=timezone.get_current_timezone_name(),
            )
            # Every one of them was written: the locks keep others from rating them meanwhile.
            done = set(unrated)
            added_python = {pk: at for pk, at in added.items() if pk not in done}
        else:
            added_python = added
        writes: list[dict] = []
        history: list[dict] = []
        for employer_id, added_at in added_python.items():
            cases = facts.get(employer_id, ())
            added_on = _local_date(added_at, tz)
            old = existing.get(employer_id)
            if old is not None:
                old["clauses"] = old.pop("stored_clauses") or []
                if not cases and old == {**old, **_never_sanctioned(added_on, version)}:
                    continue  # an employer without cases that is already A since it was added
            result = rules.evaluate(cases, today=today, window_months=window)
            new = _rating_values(result, added_on=added_on)
            if _same(old, new):
                continue
            writes.append({"employer_id": employer_id, **new, "computed_at": now})
            if _needs_history(old, new):
                history.append(
                    {
                        "employer_id": employer_id,
                        "level": new["level"],
                        "clause_codes": new["clause_codes"],
                        "clauses": new["clauses"],
                        "ruleset_version": new["ruleset_version"],
                        "computed_at": now,
                        "cause": cause,
                    }
                )
        _write_ratings(writes, history)
    return RerateSummary(
        rated=len(added),
        changed=len(writes) + first_rated,
        level_changes=len(history) + first_rated,
    )


def _first_ratings_in_sql() -> bool:
    """Whether first ratings of employers without cases are written by one statement (the
    SQL needs PostgreSQL's time zone conversion; SQLite keeps the Python path)."""
    return connection.vendor == "postgresql"


def _rate_first_without_cases(
    employer_ids: list[int], *, version: str, now: datetime.datetime, cause: str, tz_name: str
) -> int:
    """PostgreSQL: the first rating of employers that have no case (A, no clauses, since the
    local day they were added) and its history row, in one INSERT ... SELECT.

    The caller holds the employers' row locks, so no case can be added to them meanwhile, and
    has seen no rating for them; ON CONFLICT keeps the statement harmless if one appears anyway
    (only the rows actually inserted get history). Returns the number of ratings written: the
    same values as ``_never_sanctioned`` through the Python path."""
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


def _analyze_ratings_if_changed(changed: int) -> bool:
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


def _write_ratings(writes: list[dict], history: list[dict]) -> None:
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
            update_fields=[*_RATING_FIELDS, "computed_at"],
        )
        RatingHistory.objects.bulk_create(
            [RatingHistory(**row) for row in history], batch_size=WRITE_BATCH
        )
        return
    from psycopg2.extras import Json, execute_values

    columns = ["employer_id", *_RATING_FIELDS, "computed_at"]
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in columns[1:])
    rating_sql = (
        f"INSERT INTO {Rating._meta.db_table} ({', '.join(columns)}) VALUES %s "
        f"ON CONFLICT (employer_id) DO UPDATE SET {updates}"
    )
    history_columns = [
        "employer_id",
        "level",
        "clause_codes",
        "clauses",
        "ruleset_version",
        "computed_at",
        "cause",
    ]
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
                page_size=WRITE_BATCH,
            )
        if history:
            execute_values(
                cursor.cursor,
                history_sql,
                [values(h, history_columns) for h in history],
                page_size=WRITE_BATCH,
            )


def employers_rerate_bulk(
    *,
    employer_ids: Iterable[int] | None = None,
    cause: str,
    today: datetime.date | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> RerateSummary:
    """Rerate the given employers, or every employer when ``employer_ids`` is None.

    Set-based: per chunk of employers, one query for their cases, one for their ratings, one
    upsert and one history insert; memory stays flat whatever the number of employers. Every
    employer gets a rating (one without cases: A). Each chunk commits on its own.

    On PostgreSQL the first rating of employers without cases is one INSERT ... SELECT per
    chunk (``_rate_first_without_cases``); only employers with cases or with a rating go
    through the rules in Python. Afterwards ratings_rating is analysed if much of it changed."""
    today = today or timezone.localdate()
    summary = RerateSummary()
    if employer_ids is not None:
        for chunk in _chunks_of_ids(employer_ids, chunk_size):
            summary += _rerate_chunk(chunk, cause=cause, today=today)
    else:
        last_id = 0
        while True:
            chunk = list(
                Employer.objects.filter(pk__gt=last_id)
                .order_by("pk")
                .values_list("pk", flat=True)[:chunk_size]
            )
            if not chunk:
                break
            summary += _rerate_chunk(chunk, cause=cause, today=today)
            last_id = chunk[-1]
    _analyze_ratings_if_changed(summary.changed)
    return summary


def ratings_rerate_due(*, today: datetime.date | None = None) -> RerateSummary:
    """The daily sweep: rerate employers whose next-change date has come (and unrated ones)."""
    today = today or timezone.localdate()
    return employers_rerate_bulk(
        employer_ids=ratings_due_employer_ids(today=today), cause="time", today=today
    )


# --- yearly evaluation ----------------------------------------------------------------------


@dataclass(frozen=True)
class YearlySummary:
    year: int
    evaluated: int
    by_level: dict[str, int]

    @property
    def line(self) -> str:
        levels = " ".join(f"{level}={self.by_level.get(level, 0)}" for level in "ABC")
        return f"year={self.year} evaluated={self.evaluated} {levels}"


def yearly_evaluation_check_year(year: int, *, today: datetime.date | None = None) -> None:
    """Only a finished calendar year can be evaluated: its records are complete."""
    today = today or timezone.localdate()
    if year < 2000 or year >= today.year:
        raise ValidationError(
            _("Only a finished calendar year can be evaluated (2000 to %(last)s).")
            % {"last": today.year - 1}
        )


def yearly_evaluate(
    *, year: int, today: datetime.date | None = None, chunk_size: int = CHUNK_SIZE
) -> YearlySummary:
    """年度评价: freeze every employer's level for ``year`` (see ``rules.evaluate_year``).

    Rerunnable: a rerun replaces level and clauses and keeps the recorded notification dates.
    Employers established after the year's end are left out (and dropped on a rerun)."""
    yearly_evaluation_check_year(year, today=today)
    year_end = datetime.date(year, 12, 31)
    existed = Employer.objects.exclude(established_on__gt=year_end)
    by_level = {"A": 0, "B": 0, "C": 0}
    evaluated = 0
    last_id = 0
    now = timezone.now()
    while True:
        chunk = list(
            existed.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[:chunk_size]
        )
        if not chunk:
            break
        facts = case_facts_by_employer(Case.objects.filter(employer_id__in=chunk))
        rows = []
        for employer_id in chunk:
            result = rules.evaluate_year(facts.get(employer_id, ()), year=year)
            by_level[result.level] += 1
            rows.append(
                YearlyEvaluation(
                    employer_id=employer_id,
                    year=year,
                    level=result.level,
                    clause_codes=result.clause_codes,
                    clauses=clauses_json(result.clauses),
                    ruleset_version=settings.RATING_RULESET_VERSION,
                    evaluated_at=now,
                )
            )
        with transaction.atomic():
            YearlyEvaluation.objects.bulk_create(
                rows,
                batch_size=WRITE_BATCH,
                update_conflicts=True,
                unique_fields=["employer", "year"],
                update_fields=[
                    "level",
                    "clause_codes",
                    "clauses",
                    "ruleset_version",
                    "evaluated_at",
                ],
            )
        evaluated += len(chunk)
        last_id = chunk[-1]
    YearlyEvaluation.objects.filter(year=year, employer__established_on__gt=year_end).delete()
    return YearlySummary(year=year, evaluated=evaluated, by_level=by_level)


def yearly_evaluation_set_notified(
    *, evaluation: YearlyEvaluation, notified_on: datetime.date | None, user: AbstractBaseUser
) -> YearlyEvaluation:
    """Record (or clear) the date the employer was notified of its yearly level."""
    evaluation.notified_on = notified_on
    evaluation._history_user = user
    evaluation.save(update_fields=["notified_on"])
    return evaluation


def yearly_evaluations_mark_notified(
    *, evaluations: QuerySet, notified_on: datetime.date, user: AbstractBaseUser
) -> int:
    """Record the notification date on every evaluation in ``evaluations`` not yet notified.

    In chunks, with one history row per evaluation naming the user."""
    pending = evaluations.filter(notified_on__isnull=True).order_by("pk")
    count = 0
    last_id = 0
    while True:
        chunk = list(pending.filter(pk__gt=last_id)[:WRITE_BATCH])
        if not chunk:
            return count
        for evaluation in chunk:
            evaluation.notified_on = notified_on
        with transaction.atomic():
            bulk_update_with_history(
                chunk, YearlyEvaluation, ["notified_on"], batch_size=WRITE_BATCH, default_user=user
            )
        count += len(chunk)
        last_id = chunk[-1].pk
