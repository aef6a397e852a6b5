"""年度评价: the yearly evaluation, an employer's level frozen for a finished calendar year."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from employers.models import Employer
from inspections.models import Case

from .. import rules
from ..facts import case_facts_by_employer
from ..models import YearlyEvaluation
from ..procedure.services import notices_create_for_year
from ..repair.facts import repairs_by_employer, ruleset_active
from .bulk import WRITE_BATCH
from .rerate import CHUNK_SIZE, clauses_json


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
    # The rules in force at the year's end judge the year.
    ruleset = ruleset_active(today=year_end)
    while True:
        chunk = list(
            existed.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[:chunk_size]
        )
        if not chunk:
            break
        facts = case_facts_by_employer(Case.objects.filter(employer_id__in=chunk))
        repairs = repairs_by_employer(employer_ids=chunk)
        rows = []
        for employer_id in chunk:
            result = rules.evaluate_year(
                facts.get(employer_id, ()),
                year=year,
                ruleset=ruleset,
                repairs=repairs.get(employer_id, ()),
            )
            by_level[result.level] += 1
            rows.append(
                YearlyEvaluation(
                    employer_id=employer_id,
                    year=year,
                    level=result.level,
                    clause_codes=result.clause_codes,
                    clauses=clauses_json(result.clauses),
                    ruleset_version=ruleset.version,
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
    # Every employer evaluated is told its yearly level (告知).
    notices_create_for_year(year=year)
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
