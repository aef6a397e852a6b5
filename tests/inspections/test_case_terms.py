"""One meaning of "decided", "sanctioned" and "overdue": the CaseQuerySet methods, the Case
predicates and the rating rules (ratings/rules.py) agree on generated cases.

The rules' own public predicate ``CaseFacts.sanctioned_on`` decides "sanctioned"; for overdue the
rules have no public per-case predicate, so their public answer is used: a one-case
``evaluate`` holds C2 (order overdue) or C3 (decision overdue) exactly when the case is overdue.
"""

import dataclasses
import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspections.models import Case
from ratings import rules
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2024, 1, 1)
# The facts the rules read that a case records; facts the case has no field for keep their
# defaults.
FACT_FIELDS = [
    f.name
    for f in dataclasses.fields(rules.CaseFacts)
    if f.name in {g.name for g in Case._meta.fields}
]


def _offset(base: datetime.date, draw, *, maybe_none: bool = True) -> datetime.date | None:
    """A date on or after ``base`` (the row's own date rules hold), or None."""
    if maybe_none and draw(st.booleans()):
        return None
    return base + datetime.timedelta(days=draw(st.integers(0, 120)))


@st.composite
def cases(draw) -> dict:
    opened_on = START + datetime.timedelta(days=draw(st.integers(0, 400)))
    decided_on = _offset(opened_on, draw)
    after = decided_on or opened_on
    order = draw(st.booleans())
    decision = draw(st.booleans())
    return {
        "opened_on": opened_on,
        "decided_on": decided_on,
        "order_issued": order,
        "order_deadline": _offset(after, draw) if order else None,
        "order_rectified_on": _offset(after, draw) if order else None,
        "decision_issued": decision,
        "decision_deadline": _offset(after, draw) if decision else None,
        "decision_fulfilled_on": _offset(after, draw) if decision else None,
        "penalty_issued": draw(st.booleans()),
        "withdrawn": draw(st.booleans()),
    }


@pytest.fixture
def employer():
    return EmployerFactory()


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    generated=st.lists(cases(), min_size=1, max_size=6),
    day=st.dates(START, START + datetime.timedelta(days=700)),
)
def test_queryset_model_and_rules_agree(employer, generated, day):
    created = Case.objects.bulk_create(
        Case(employer=employer, number=f"T-{i}", source=Case.Source.SPECIAL, **values)
        for i, values in enumerate(generated)
    )
    try:
        scope = Case.objects.filter(pk__in=[c.pk for c in created])
        in_db = {
            "decided": set(scope.decided(day).values_list("pk", flat=True)),
            "sanctioned": set(scope.sanctioned(day).values_list("pk", flat=True)),
            "sanctioned_ever": set(scope.sanctioned().values_list("pk", flat=True)),
            "order_overdue": set(scope.order_overdue(day).values_list("pk", flat=True)),
            "decision_overdue": set(scope.decision_overdue(day).values_list("pk", flat=True)),
            "overdue": set(scope.overdue(day).values_list("pk", flat=True)),
        }
        for case in scope:
            facts = rules.CaseFacts(**{name: getattr(case, name) for name in FACT_FIELDS})
            codes = {c.code for c in rules.evaluate([facts], today=day).clauses}
            far_future = datetime.date(2100, 1, 1)

            sanctioned = facts.sanctioned_on(day)
            assert case.sanctioned_on(day) is sanctioned
            assert (case.pk in in_db["sanctioned"]) is sanctioned
            ever = facts.sanctioned_on(far_future)
            assert case.is_sanctioned is ever
            assert (case.pk in in_db["sanctioned_ever"]) is ever

            # Decided on ``day``: what the rules ask of a non-withdrawn case with a measure.
            decided = case.decided_by(day)
            assert (case.pk in in_db["decided"]) is decided
            if not case.withdrawn and case.measure_labels:
                assert decided is sanctioned

            order_overdue = "C2" in codes
            assert case.order_overdue(day) is order_overdue
            assert (case.pk in in_db["order_overdue"]) is order_overdue
            decision_overdue = "C3" in codes
            assert case.decision_overdue(day) is decision_overdue
            assert (case.pk in in_db["decision_overdue"]) is decision_overdue
            assert (case.pk in in_db["overdue"]) is (order_overdue or decision_overdue)
    finally:
        Case.objects.filter(pk__in=[c.pk for c in created]).delete()


def test_a_case_without_decision_date_is_neither_sanctioned_nor_overdue(employer):
    case = Case.objects.create(
        employer=employer,
        number="T-undecided",
        source=Case.Source.SPECIAL,
        opened_on=datetime.date(2025, 1, 1),
        order_issued=True,
        order_deadline=datetime.date(2025, 2, 1),
    )
    today = datetime.date(2025, 6, 1)
    assert not case.is_sanctioned and not case.order_overdue(today)
    assert not Case.objects.sanctioned().exists()
    assert not Case.objects.overdue(today).exists()
