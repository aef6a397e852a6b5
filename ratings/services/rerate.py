"""Writes of the rating engine: current ratings and their history.

Every path gathers facts with one values() query, asks ``rules.py``, and writes only what
changed. Reruns of the same employer are serialised by locking its employer row, so two
concurrent reruns leave one correct rating and one history entry.
"""

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Case as Conditional
from django.db.models import F, JSONField, Value, When
from django.utils import timezone

from employers.models import Employer
from inspections.models import Case

from .. import rules
from ..facts import case_facts_by_employer, employer_case_facts
from ..models import Rating, RatingHistory, RuleSetSwitch
from ..patrol_due import last_patrol_dates, next_patrol_due, patrol_interval_months
from ..procedure.services import notices_due_create
from ..repair.facts import (
    employer_repair_facts,
    repairs_by_employer,
    repairs_granted_exist,
    ruleset_from_switch,
    ruleset_switch_subquery,
)
from ..selectors import ratings_due_employer_ids
from . import bulk
from .bulk import RATING_FIELDS
from .prefilter import rerate_candidate_ids

CHUNK_SIZE = 5000

_COMPARED_FIELDS = tuple(name for name in RATING_FIELDS if name != "clauses")


def never_sanctioned(added_on: datetime.date, version: str) -> dict:
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


def _rating_values(result: rules.Rating, *, added_on: datetime.date, version: str) -> dict:
    return {
        "level": result.level,
        "clause_codes": result.clause_codes,
        "clauses": clauses_json(result.clauses),
        "ruleset_version": version,
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
    return old is not None and all(old[name] == new[name] for name in RATING_FIELDS)


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
    *, employer_id: int, cause: str, today: datetime.date | None = None, cause_detail: str = ""
) -> Rating | None:
    """Recompute one employer's rating; append history when the level or clauses change
    (``cause_detail``: what the cause refers to, e.g. the repair decision's number).

    Nine queries at most for the rating itself (lock with the rule set in force, cases,
    rating, the months between patrols and the last patrol for its next due date, write,
    history, and the savepoint pair), one more for an employer with granted repairs, and the
    notice when the level becomes C.
    Returns the current rating, or None when the employer no longer exists."""
    today = today or timezone.localdate()
    window = settings.RATING_WINDOW_MONTHS
    with transaction.atomic():
        # Locking the employer row serialises concurrent reruns of the same employer.
        # The rule set in force and whether any repair was granted come with the lock.
        added = list(
            Employer.objects.select_for_update()
            .filter(pk=employer_id)
            .annotate(switched_to=ruleset_switch_subquery(today), repaired=repairs_granted_exist())
            .values_list("created_at", "switched_to", "repaired")
        )
        if not added:
            return None
        created_at, switched_to, repaired = added[0]
        facts = employer_case_facts(employer_id=employer_id)
        ruleset = ruleset_from_switch(switched_to)
        result = rules.evaluate(
            facts,
            today=today,
            window_months=window,
            ruleset=ruleset,
            repairs=employer_repair_facts(employer_id=employer_id) if facts and repaired else (),
        )
        new = _rating_values(result, added_on=_local_date(created_at), version=ruleset.version)
        rating = Rating.objects.filter(employer_id=employer_id).first()
        old = {name: getattr(rating, name) for name in RATING_FIELDS} if rating else None
        if _same(old, new):
            return rating
        now = timezone.now()
        # The level or the day it began may have moved the next patrol due date: it is
        # written with the rating.
        due = next_patrol_due(
            level=new["level"],
            since=new["since"],
            last_patrol_on=last_patrol_dates(employer_ids=[employer_id]).get(employer_id),
            intervals=patrol_interval_months(),
        )
        if rating is None:
            rating = Rating.objects.create(
                employer_id=employer_id, computed_at=now, next_patrol_due_on=due, **new
            )
        else:
            for name, value in new.items():
                setattr(rating, name, value)
            rating.computed_at = now
            rating.next_patrol_due_on = due
            rating.save(update_fields=[*RATING_FIELDS, "computed_at", "next_patrol_due_on"])
        if _needs_history(old, new):
            bulk.history_row(
                employer_id, new, computed_at=now, cause=cause, detail=cause_detail
            ).save(force_insert=True)
            # A level that becomes C must be told to the employer (告知).
            notices_due_create(
                rows=[{"employer_id": employer_id, **new}],
                old_levels={employer_id: old["level"] if old else None},
                today=today,
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
        # The rule set in force and which employers have granted repairs come with the lock
        # (an uncorrelated subquery the database evaluates once, an indexed EXISTS per row).
        locked = [
            row
            for row in Employer.objects.select_for_update()
            .filter(**_employer_filter(employer_ids, "pk"))
            .order_by("pk")
            .annotate(switched_to=ruleset_switch_subquery(today), repaired=repairs_granted_exist())
            .values_list("pk", "created_at", "switched_to", "repaired")
            if row[0] in wanted
        ]
        added = {pk: created for pk, created, _switched, _repaired in locked}
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
        ruleset = ruleset_from_switch(locked[0][2] if locked else None)
        version = ruleset.version
        repaired = [pk for pk, _created, _switched, has_repairs in locked if has_repairs]
        repairs = repairs_by_employer(employer_ids=repaired) if repaired else {}
        intervals = patrol_interval_months()
        first_ids: list[int] = []
        if bulk.first_ratings_in_sql():
            # Employers without cases and without a rating (a new roster, a first full rerate)
            # all get the same answer; the write derives it without a Python round trip.
            first_ids = [pk for pk in added if pk not in facts and pk not in existing]
            done = set(first_ids)
            added_python = {pk: at for pk, at in added.items() if pk not in done}
        else:
            added_python = added
        writes: list[dict] = []
        history_ids: set[int] = set()
        unrated_ids: set[int] = set()
        for employer_id, added_at in added_python.items():
            cases = facts.get(employer_id, ())
            added_on = _local_date(added_at, tz)
            old = existing.get(employer_id)
            if old is not None:
                old["clauses"] = old.pop("stored_clauses") or []
                if not cases and old == {**old, **never_sanctioned(added_on, version)}:
                    continue  # an employer without cases that is already A since it was added
            result = rules.evaluate(
                cases,
                today=today,
                window_months=window,
                ruleset=ruleset,
                repairs=repairs.get(employer_id, ()),
            )
            new = _rating_values(result, added_on=added_on, version=version)
            if _same(old, new):
                continue
            writes.append({"employer_id": employer_id, **new})
            if _needs_history(old, new):
                history_ids.add(employer_id)
            if old is None:
                unrated_ids.add(employer_id)
        # One statement for the chunk; the level or the day it began may have moved the next
        # patrol due date, written with the rating.
        bulk.write_ratings(
            writes,
            history_ids=history_ids,
            unrated_ids=unrated_ids,
            first_ids=first_ids,
            version=version,
            now=now,
            cause=cause,
            intervals=intervals,
            tz_name=timezone.get_current_timezone_name(),
        )
        # A level that becomes C must be told to the employer (告知).
        notices_due_create(
            rows=writes, old_levels={pk: row["level"] for pk, row in existing.items()}, today=today
        )
    return RerateSummary(
        rated=len(added),
        changed=len(writes) + len(first_ids),
        level_changes=len(history_ids) + len(first_ids),
    )


def employers_rerate_bulk(
    *,
    employer_ids: Iterable[int] | None = None,
    cause: str,
    today: datetime.date | None = None,
    chunk_size: int = CHUNK_SIZE,
    prefilter: bool = True,
) -> RerateSummary:
    """Rerate the given employers, or every employer when ``employer_ids`` is None.

    Set-based: per chunk of employers, one query for their cases, one for their ratings, and
    one statement that writes the ratings with their next patrol due dates and history rows
    (``bulk.write_ratings``); memory stays flat whatever the number of employers. Every
    employer gets a rating (one without cases: A). Each chunk commits on its own.

    On PostgreSQL that statement also derives the first rating of employers without cases
    itself; only employers with cases or with a rating go through the rules in Python.
    Afterwards ratings_rating is analysed if much of it changed.

    A full rerate (``employer_ids`` None) with ``prefilter`` evaluates only the employers
    ``prefilter.rerate_candidate_ids`` names: one query leaves out every employer whose cases
    did not change since its rating and whose next change has not come."""
    today = today or timezone.localdate()
    summary = RerateSummary()
    if employer_ids is not None:
        for chunk in _chunks_of_ids(employer_ids, chunk_size):
            summary += _rerate_chunk(chunk, cause=cause, today=today)
    elif prefilter:
        # One anti-join for the whole district (a hash join; chunked look-ups would probe the
        # indexes once per employer), then the candidates in chunks.
        candidates = rerate_candidate_ids(today=today)
        for start in range(0, len(candidates), chunk_size):
            chunk = candidates[start : start + chunk_size]
            summary += _rerate_chunk(chunk, cause=cause, today=today)
        # The employers left out were rated too (their rating stands): the summary counts them.
        left_out = Employer.objects.count() - len(candidates)
        summary += RerateSummary(rated=max(left_out, 0))
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
    bulk.analyze_ratings_if_changed(summary.changed)
    return summary


def ruleset_switches_apply(*, today: datetime.date | None = None) -> RerateSummary | None:
    """Rerun every rating once a rule-set switch has come into effect; None when no switch is
    waiting. Idempotent: each switch is applied once (the daily sweep calls this)."""
    today = today or timezone.localdate()
    pending = list(
        RuleSetSwitch.objects.filter(effective_on__lte=today, applied_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    if not pending:
        return None
    # Every employer, not only those whose cases changed: the rules themselves did.
    summary = employers_rerate_bulk(
        cause=RatingHistory.Cause.RULESET_SWITCH, today=today, prefilter=False
    )
    RuleSetSwitch.objects.filter(pk__in=pending).update(applied_at=timezone.now())
    return summary


def ratings_rerate_due(*, today: datetime.date | None = None) -> RerateSummary:
    """The daily sweep: rerate employers whose next-change date has come (and unrated ones);
    on the day a rule-set switch comes into effect, every employer."""
    today = today or timezone.localdate()
    switched = ruleset_switches_apply(today=today)
    if switched is not None:
        return switched
    return employers_rerate_bulk(
        employer_ids=ratings_due_employer_ids(today=today), cause="time", today=today
    )
