"""Reads of the rating engine: due ratings, the export, the early warning.

The facts the rules read are gathered in ``facts.py``."""

import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Case as Conditional
from django.db.models import DateField, Q, QuerySet, Value, When
from django.db.models.functions import Least

from employers.models import Employer
from inspections.models import Case

from .models import Rating

EARLY_WARNING_DAYS = 7


def clause_filter(code: str) -> Q:
    """Employers whose rating's ``clause_codes`` ("C1;C4") contain exactly this code."""
    return (
        Q(rating__clause_codes=code)
        | Q(rating__clause_codes__startswith=f"{code};")
        | Q(rating__clause_codes__endswith=f";{code}")
        | Q(rating__clause_codes__contains=f";{code};")
    )


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


def early_warning_cases_district(
    *, today: datetime.date, days: int = EARLY_WARNING_DAYS
) -> QuerySet[Case]:
    """Cases of the whole district with an order-to-correct or handling-decision deadline from
    today to ``days`` ahead that is not yet met: on the day after it they turn the employer C
    (clauses C2, C3). ``order_due_on`` / ``decision_due_on`` are the deadlines that fall in
    that span (else None), ``due_on`` the earliest of them. The page and the daily digest both
    read this."""
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
        Case.objects.filter(order_due | decision_due, withdrawn=False, decided_on__isnull=False)
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
        .order_by("due_on", "employer__name", "id")
    )


def early_warning_cases(
    *, user: AbstractBaseUser | AnonymousUser, today: datetime.date, days: int = EARLY_WARNING_DAYS
) -> QuerySet[Case]:
    """``early_warning_cases_district`` for the employers the user may see, for the page."""
    return (
        early_warning_cases_district(today=today, days=days)
        .filter(employer__in=Employer.objects.visible_to(user))
        .select_related("employer__unit", "employer__rating")
    )
