"""Property tests of rule set national-2016 and of repairs: what must hold for any records."""

import datetime
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from ratings.rules import NATIONAL_2016, XIQING_2018, CaseFacts, RepairFacts, evaluate
from tests.ratings.test_rules_properties import LEVEL_ORDER, case_facts, dates, days_between

D = datetime.date
DAY = datetime.timedelta(days=1)


@st.composite
def national_case(draw, case_id: int) -> CaseFacts:
    base = draw(case_facts(case_id))
    decided = base.decided_on or base.opened_on
    penalty = base.penalty_issued
    due = draw(st.one_of(st.none(), st.dates(min_value=decided, max_value=decided + 200 * DAY)))
    paid = draw(st.one_of(st.none(), st.dates(min_value=decided, max_value=decided + 400 * DAY)))
    return replace(
        base,
        child_labour=draw(st.booleans()) and draw(st.booleans()),
        forced_labour=draw(st.booleans()) and draw(st.booleans()),
        obstructed_inspection=draw(st.booleans()) and draw(st.booleans()),
        fine_due_on=due if penalty else None,
        fine_paid_on=paid if penalty else None,
    )


@st.composite
def national_cases(draw) -> list[CaseFacts]:
    count = draw(st.integers(min_value=0, max_value=5))
    return [draw(national_case(i + 1)) for i in range(count)]


@st.composite
def repairs_for(draw, cases: list[CaseFacts]) -> list[RepairFacts]:
    if not cases:
        return []
    chosen = draw(st.lists(st.sampled_from([c.id for c in cases]), max_size=3))
    code = draw(st.sampled_from(["C1", "C4", "C5", "C6", "C7", "N1", "N2"]))
    return [RepairFacts(code, frozenset(chosen), draw(dates))]


def _national(cases, today, repairs=()):
    return evaluate(cases, today=today, ruleset=NATIONAL_2016, repairs=repairs)


def _district(cases, today, repairs=()):
    return evaluate(cases, today=today, ruleset=XIQING_2018, repairs=repairs)


@settings(max_examples=300, deadline=None)
@given(national_cases(), dates)
def test_national_rules_keep_every_district_clause_and_never_rate_better(cases, today):
    district = _district(cases, today)
    national = _national(cases, today)
    assert LEVEL_ORDER[national.level] >= LEVEL_ORDER[district.level]
    national_clauses = {c.code: c.case_ids for c in national.clauses}
    for clause in district.clauses:
        if clause.code != "B":
            assert national_clauses[clause.code] == clause.case_ids
    assert {c.code for c in district.clauses} <= {*national_clauses, "B"}


@settings(max_examples=300, deadline=None)
@given(national_cases(), dates)
def test_without_national_facts_both_rule_sets_agree(cases, today):
    plain = [
        replace(
            c,
            child_labour=False,
            forced_labour=False,
            obstructed_inspection=False,
            fine_due_on=None,
            fine_paid_on=None,
        )
        for c in cases
    ]
    assert _national(plain, today).signature == _district(plain, today).signature


@settings(max_examples=300, deadline=None)
@given(national_cases(), dates)
def test_n3_is_an_unpaid_fine_past_its_due_date(cases, today):
    expected = {
        c.id
        for c in cases
        if c.penalty_issued
        and c.sanctioned_on(today)
        and c.fine_due_on is not None
        and today > c.fine_due_on
        and not (c.fine_paid_on is not None and c.fine_paid_on <= today)
    }
    clauses = {c.code: set(c.case_ids) for c in _national(cases, today).clauses}
    assert clauses.get("N3", set()) == expected


@settings(max_examples=200, deadline=None)
@given(national_cases(), dates)
def test_national_next_change_is_exact(cases, today):
    result = _national(cases, today)
    if result.next_change_on is None:
        later = _national(cases, today + 4000 * DAY)
        assert later.signature == result.signature
        return
    for day in days_between(today, result.next_change_on - DAY, limit=20):
        assert _national(cases, day).signature == result.signature
    assert _national(cases, result.next_change_on).signature != result.signature


@settings(max_examples=200, deadline=None)
@given(st.data(), dates)
def test_a_repair_never_makes_the_level_worse(data, today):
    cases = data.draw(national_cases())
    repairs = data.draw(repairs_for(cases))
    for rate in (_national, _district):
        before = rate(cases, today).level
        after = rate(cases, today, repairs).level
        assert LEVEL_ORDER[after] <= LEVEL_ORDER[before]
        # Repairs granted after today change nothing yet.
        future = [replace(r, granted_on=today + DAY) for r in repairs]
        assert rate(cases, today, future).signature == rate(cases, today).signature
