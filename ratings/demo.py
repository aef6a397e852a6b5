"""Demo data of the rating engine: cases near their deadlines, and every demo employer rated.

The early-warning page lists the cases whose order or decision deadline falls in the coming
``EARLY_WARNING_DAYS``; the district's seeded cases are months old, so ``seed_early_warnings``
keeps a few open ones with deadlines just ahead: for the demo inspector's unit (李七庄街道) and
for the rest of the district. It runs at every ``make run``: a district seeded last week gets
fresh ones once its earlier deadlines have passed, and a second run on the same day adds none.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.roles import Role
from employers.models import Employer
from inspections.demo import (
    DemoCaseNumbers,
    cases_announce_on_commit,
    inspector_pair,
    inspector_pairs,
    problem_note,
)
from inspections.factories import CaseFactory
from inspections.items import Item
from inspections.models import Case

from .selectors import EARLY_WARNING_DAYS, early_warning_cases_district
from .services import employers_rerate_bulk

INSPECTOR_UNIT = "120111002"  # the demo inspector's unit (李七庄街道)
# At least this many cases due in the window: in the inspector's unit, and in the whole district.
EARLY_WARNINGS_UNIT = 4
EARLY_WARNINGS_DISTRICT = 9


def _near_deadline_case(employer: Employer, today: datetime.date, rng, numbers, creator) -> Case:
    """An open case decided a few weeks ago whose order (two cases in three) or handling
    decision is due in the next days and not met yet."""
    opened = today - datetime.timedelta(days=rng.randint(12, 40))
    decided = opened + datetime.timedelta(days=rng.randint(3, 10))
    items = rng.sample([Item.WAGES, Item.CONTRACTS, Item.SOCIAL_INSURANCE], rng.randint(1, 2))
    case = CaseFactory.build(
        number=numbers.next(opened.year),
        employer=employer,
        source=rng.choice([Case.Source.PATROL, Case.Source.SPECIAL, Case.Source.WRITTEN_REVIEW]),
        opened_on=opened,
        decided_on=decided,
        violation_items=items,
        facts="；".join(problem_note(item, rng) for item in items),
        created_by=creator,
    )
    deadline = today + datetime.timedelta(days=rng.randint(0, EARLY_WARNING_DAYS - 1))
    if rng.random() < 2 / 3:
        case.order_issued = True
        case.order_deadline = deadline
    else:
        case.decision_issued = True
        case.decision_number = f"津西青人社监理字〔{decided.year}〕{rng.randint(301, 600):03d}号"
        case.decision_deadline = deadline
    case.full_clean(exclude=["employer", "created_by"], validate_unique=False)
    return case


def _employers_for(queryset, count: int, due, rng: random.Random) -> list[Employer]:
    """``count`` active employers of ``queryset`` drawn at random: those without any case
    first, then those with no case in the window."""
    active = queryset.active().exclude(cases__in=due).order_by("id")
    fresh = list(active.filter(cases__isnull=True).values_list("id", flat=True))
    chosen = rng.sample(fresh, min(count, len(fresh)))
    if len(chosen) < count:
        others = sorted(set(active.values_list("id", flat=True)) - set(fresh))
        chosen += rng.sample(others, min(count - len(chosen), len(others)))
    return list(Employer.objects.filter(pk__in=chosen).order_by("id"))


@transaction.atomic
def seed_early_warnings(rng: random.Random) -> str:
    """Top the early-warning window up to ``EARLY_WARNINGS_UNIT`` cases of the inspector's unit
    and ``EARLY_WARNINGS_DISTRICT`` in the district; adds nothing while they are there."""
    today = timezone.localdate()
    due = early_warning_cases_district(today=today)
    in_unit = due.filter(employer__unit__code=INSPECTOR_UNIT).count()
    in_district = due.count()
    unit_short = max(0, EARLY_WARNINGS_UNIT - in_unit)
    elsewhere_short = max(0, EARLY_WARNINGS_DISTRICT - in_district - unit_short)
    if not unit_short and not elsewhere_short:
        return f"early warnings: {in_district} cases due within {EARLY_WARNING_DAYS} days"
    by_unit, pool = inspector_pairs()
    if len(pool) < 2:
        return "early warnings: fewer than two inspectors, none added"
    unit_employers = Employer.objects.filter(unit__code=INSPECTOR_UNIT)
    employers = _employers_for(unit_employers, unit_short, due, rng) + _employers_for(
        Employer.objects.exclude(unit__code=INSPECTOR_UNIT), elsewhere_short, due, rng
    )
    creator = get_user_model().objects.filter(groups__name=Role.INSPECTOR).order_by("id").first()
    numbers = DemoCaseNumbers()
    cases = [_near_deadline_case(e, today, rng, numbers, creator) for e in employers]
    Case.objects.bulk_create(cases)
    Case.inspectors.through.objects.bulk_create(
        Case.inspectors.through(case_id=case.pk, user_id=user.pk)
        for case in cases
        for user in inspector_pair(case.employer.unit_id, by_unit, pool, rng)
    )
    cases_announce_on_commit(cases)
    return (
        f"early warnings: {len(cases)} cases added with deadlines in the next "
        f"{EARLY_WARNING_DAYS} days, {in_district + len(cases)} due"
    )


def seed_ratings(rng: random.Random) -> str:
    """Rate every employer; the second run finds every rating current and changes nothing."""
    summary = employers_rerate_bulk(cause="demo")
    return f"ratings: {summary.rated} employers rated, {summary.changed} changed"
