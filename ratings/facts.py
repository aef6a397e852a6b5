"""The facts the rules read, gathered from case records with one values() query."""

from collections import defaultdict

from django.db.models import QuerySet

from inspections.items import Item
from inspections.models import Case

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
    "forced_labour",
    "obstructed_inspection",
    "fine_due_on",
    "fine_paid_on",
)
# Read in the same values() query; the rules get ``child_labour`` from it.
_EXTRA_FIELDS = ("violation_items",)


def case_facts_from_row(row: dict) -> CaseFacts:
    return CaseFacts(
        **{name: row[name] for name in FACT_FIELDS},
        child_labour=Item.CHILD_LABOUR in (row.get("violation_items") or ()),
    )


def employer_case_facts(*, employer_id: int) -> list[CaseFacts]:
    """Every case of one employer as rule facts (one query)."""
    rows = (
        Case.objects.filter(employer_id=employer_id).order_by().values(*FACT_FIELDS, *_EXTRA_FIELDS)
    )
    return [case_facts_from_row(row) for row in rows]


def case_facts_by_employer(cases: QuerySet) -> dict[int, list[CaseFacts]]:
    """Rule facts grouped by employer, from one values() query over ``cases``."""
    grouped: dict[int, list[CaseFacts]] = defaultdict(list)
    for row in cases.order_by().values("employer_id", *FACT_FIELDS, *_EXTRA_FIELDS):
        grouped[row["employer_id"]].append(case_facts_from_row(row))
    return grouped
