"""The facts the rules read, gathered from case records with one query."""

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet

from inspections.items import Item
from inspections.models import Case

from .rules import CaseFacts

# The Case columns the rules read, in the order of CaseFacts' fields (so a row builds the facts
# positionally, the cheapest way when a full rerate reads a million cases); ``child_labour`` is
# not a column: the rules get it from the violation items read in its place.
_ORDER = tuple(field.name for field in dataclasses.fields(CaseFacts))
_CHILD_LABOUR = _ORDER.index("child_labour")
QUERIED_FIELDS = tuple("violation_items" if name == "child_labour" else name for name in _ORDER)
# The columns that are facts as they are (every field but child_labour).
FACT_FIELDS = tuple(name for name in _ORDER if name != "child_labour")


def case_facts_from_row(row: Sequence[Any]) -> CaseFacts:
    """Facts from the values of ``QUERIED_FIELDS``, in that order."""
    items = row[_CHILD_LABOUR] or ()
    return CaseFacts(*row[:_CHILD_LABOUR], Item.CHILD_LABOUR in items, *row[_CHILD_LABOUR + 1 :])


def employer_case_facts(*, employer_id: int) -> list[CaseFacts]:
    """Every case of one employer as rule facts (one query)."""
    rows = Case.objects.filter(employer_id=employer_id).order_by().values_list(*QUERIED_FIELDS)
    return [case_facts_from_row(row) for row in rows]


def case_facts_by_employer(cases: QuerySet) -> dict[int, list[CaseFacts]]:
    """Rule facts grouped by employer, from one query over ``cases``."""
    grouped: dict[int, list[CaseFacts]] = defaultdict(list)
    for row in cases.order_by().values_list("employer_id", *QUERIED_FIELDS):
        grouped[row[0]].append(case_facts_from_row(row[1:]))
    return grouped
