"""Reads of the rating engine: the facts the rules need, due ratings, exports, early warning.

The uses of the level (watchlist, patrols due, training, partner API) read in
``selectors_uses.py``.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Case as Conditional
from django.db.models import DateField, Q, QuerySet, Value, When
from django.db.models.functions import Least
from django.utils import timezone

from employers.models import Employer
from inspections.models import Case

from .models import Rating
from .rules import CaseFacts

# The Case fields the rules read; one values() query fetches them for many employers at once.
FACT_FIELDS = (
    "id",
    "number",
    "opened_on",
    "decided_on",
    "order_issued",
    "order_deadline",
    "order_rectified_on",
    "decision_issued",
    "decision_deadline",
    "decision_fulfilled_on",
    "penalty_issued",
    "mass_incident",
    "serious",
    "criminal",
    "withdrawn",
)

EARLY_WARNING_DAYS = 7


def case_facts_from_row(row: dict) -> CaseFacts:
    return CaseFacts(**{name: row[name] for name in FACT_FIELDS})


def employer_case_facts(*, employer_id: int) -> list[CaseFacts]:
    """Every case of one employer as rule facts (one query)."""
    rows = Case.objects.filter(employer_id=employer_id).order_by().values(*FACT_FIELDS)
    return [case_facts_from_row(row) for row in rows]


def case_facts_by_employer(cases: QuerySet) -> dict[int, list[CaseFacts]]:
    """Rule facts grouped by employer, from one values() query over ``cases``."""
    grouped: dict[int, list[CaseFacts]] = defaultdict(list)
    for row in cases.order_by().values("employer_id", *FACT_FIELDS):
        grouped[row["employer_id"]].append(case_facts_from_row(row))
    return grouped


def ratings_due_employer_ids(*, today: datetime.date) -> list[int]:
    """Employers whose rating will change by itself by ``today`` (the daily sweep), and
    employers that have no rating yet (created by a bulk path that sent no signal)."""
    due = Rating.objects.filter(next_change_on__lte=today).values_list("employer_id", flat=True)
    unrated = Employer.objects.filter(rating__isnull=True).values_list("pk", flat=True)
    return sorted(set(due) | set(unrated))


def ratings_for_export(*, level: str | None = None, unit_code: str | None = None) -> QuerySet:
    """Current ratings with the employer and unit, in the export order (unit, credit code)."""
    ratings = Rating.objects.select_related("employer__unit").order_by(
        "employer__unit__code", "employer__credit_code"
    )
    if level:
        ratings = ratings.filter(level=level)
    if unit_code:
        ratings = ratings.filter(employer__unit__code=unit_code)
    return ratings


def rating_export_rows(ratings: QuerySet) -> Iterator[tuple]:
    """The SPEC section 7 columns, streamed (server-side cursor on PostgreSQL)."""
    for rating in ratings.iterator(chunk_size=2000):
        yield (
            rating.employer.credit_code,
            rating.employer.name,
            rating.employer.unit.name,
            rating.level,
            rating.clause_codes,
            timezone.localtime(rating.computed_at).strftime("%Y-%m-%d %H:%M"),
        )


def early_warning_cases(
    *, user: AbstractBaseUser | AnonymousUser, today: datetime.date, days: int = EARLY_WARNING_DAYS
) -> QuerySet:
    """Cases of employers the user may see with an order-to-correct or handling-decision
    deadline from today to ``days`` ahead that is not yet met: on the day after it they turn
    the employer C. ``due_on`` is the earliest such deadline of the case."""
    last = today + datetime.timedelta(days=days)
    order_due = Q(
        order_issued=True,
        order_rectified_on__isnull=True,
        order_deadline__gte=today,
        order_deadline__lte=last,
    )
    decision_due = Q(
        decision_issued=True,
        decision_fulfilled_on__isnull=True,
        decision_deadline__gte=today,
        decision_deadline__lte=last,
    )
    order_date = Conditional(
        When(order_due, then="order_deadline"), default=Value(None), output_field=DateField()
    )
    decision_date = Conditional(
        When(decision_due, then="decision_deadline"), default=Value(None), output_field=DateField()
    )
    return (
        Case.objects.filter(employer__in=Employer.objects.visible_to(user))
        .filter(order_due | decision_due, withdrawn=False, decided_on__isnull=False)
        .annotate(
            order_due_on=order_date,
            decision_due_on=decision_date,
            # Least() of a NULL is NULL on PostgreSQL; coalesce each side with the other.
            due_on=Least(
                Conditional(When(order_due, then="order_deadline"), default="decision_deadline"),
                Conditional(When(decision_due, then="decision_deadline"), default="order_deadline"),
                output_field=DateField(),
            ),
        )
        .select_related("employer__unit", "employer__rating")
        .order_by("due_on", "employer__name", "id")
    )
