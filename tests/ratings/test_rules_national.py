"""Table tests of rule set national-2016 (N1-N3), of repairs as facts, and of the rule sets."""

import datetime

import pytest

from ratings.rules import (
    NATIONAL_2016,
    RULE_SETS,
    XIQING_2018,
    RepairFacts,
    UnknownRuleSet,
    evaluate,
    evaluate_year,
    ruleset_for_version,
    ruleset_get,
)

from .rule_facts import case

D = datetime.date
TODAY = D(2026, 11, 15)


def national(cases, today=TODAY, repairs=()):
    return evaluate(cases, today=today, window_months=12, ruleset=NATIONAL_2016, repairs=repairs)


def district(cases, today=TODAY, repairs=()):
    return evaluate(cases, today=today, window_months=12, ruleset=XIQING_2018, repairs=repairs)


def fine(decided, due, paid=None, **kw):
    return case(
        decided_on=decided,
        opened_on=decided,
        penalty_issued=True,
        fine_due_on=due,
        fine_paid_on=paid,
        **kw,
    )


# --- the rule sets --------------------------------------------------------------------------


def test_rule_sets_have_an_id_a_source_and_a_start_date():
    assert set(RULE_SETS) == {"xiqing-2018", "national-2016"}
    for ruleset in RULE_SETS.values():
        assert ruleset.legal_source and ruleset.applies_from and ruleset.version
    # Ratings stored before rule sets existed keep their version string.
    assert XIQING_2018.version == "2018-25.1"
    assert ruleset_for_version("2018-25.1") is XIQING_2018
    assert ruleset_get("national-2016") is NATIONAL_2016


def test_an_unknown_rule_set_names_the_known_ones():
    with pytest.raises(UnknownRuleSet) as caught:
        ruleset_get("national-2099")
    assert caught.value.known == ("xiqing-2018", "national-2016")
    assert "xiqing-2018" in str(caught.value)


def test_the_default_rule_set_is_the_district_one():
    facts = [
        case(
            decided_on=D(2026, 6, 1),
            opened_on=D(2026, 6, 1),
            child_labour=True,
            order_issued=True,
            order_deadline=D(2026, 7, 1),
            order_rectified_on=D(2026, 7, 1),
        )
    ]
    assert evaluate(facts, today=TODAY).signature == district(facts).signature


# --- N1 child or forced labour, N2 obstruction (window flags) -------------------------------


@pytest.mark.parametrize(
    ("flags", "code"),
    [
        ({"child_labour": True}, "N1"),
        ({"forced_labour": True}, "N1"),
        ({"obstructed_inspection": True}, "N2"),
    ],
)
@pytest.mark.parametrize(
    ("placed", "counts"),
    [
        (D(2026, 11, 15), True),  # today
        (D(2025, 11, 16), True),  # first day in the window
        (D(2025, 11, 15), False),  # just left the window
        (D(2024, 3, 1), False),
    ],
)
def test_window_flags(flags, code, placed, counts):
    facts = [case(opened_on=placed, decided_on=placed, **flags)]
    rating = national(facts)
    assert (rating.level == "C") is counts
    assert (code in rating.clause_codes.split(";")) is counts
    # The district notice leaves these situations out.
    assert district(facts).level == "A"


def test_a_flag_without_a_decision_counts_from_the_opened_date():
    facts = [case(opened_on=D(2026, 10, 1), obstructed_inspection=True)]
    assert national(facts).clause_codes == "N2"


def test_a_withdrawn_case_flags_nothing():
    facts = [
        case(
            opened_on=D(2026, 10, 1),
            forced_labour=True,
            child_labour=True,
            obstructed_inspection=True,
            withdrawn=True,
        )
    ]
    assert national(facts).level == "A"


def test_a_flag_leaving_the_window_is_the_next_change():
    facts = [case(opened_on=D(2026, 2, 10), decided_on=D(2026, 2, 10), forced_labour=True)]
    rating = national(facts)
    assert rating.clause_codes == "N1"
    assert rating.next_change_on == D(2027, 2, 10)


# --- N3 fine unpaid after its due date (holds until paid) -----------------------------------


@pytest.mark.parametrize(
    ("due", "paid", "expected"),
    [
        (D(2026, 11, 15), None, "C4"),  # due today: still in time
        (D(2026, 11, 14), None, "C4;N3"),  # overdue since yesterday
        (D(2026, 11, 1), D(2026, 11, 10), "C4"),  # paid late, paid now
        (D(2026, 11, 1), D(2026, 11, 20), "C4;N3"),  # a payment dated later does not count yet
        (D(2026, 11, 1), D(2026, 10, 30), "C4"),  # paid before it was due
    ],
)
def test_fine_unpaid_after_due_date(due, paid, expected):
    facts = [fine(D(2026, 10, 1), due, paid)]
    assert national(facts).clause_codes == expected
    assert district(facts).clause_codes == "C4"


def test_an_unpaid_fine_holds_whatever_the_age_of_the_case():
    facts = [fine(D(2023, 5, 1), D(2023, 6, 1))]
    rating = national(facts)
    assert rating.clause_codes == "N3"
    assert rating.clauses[0].cases[0].on == D(2023, 6, 2)
    assert rating.next_change_on is None
    assert district(facts).level == "A"


def test_an_unpaid_fine_without_a_decision_is_not_yet_sanctioned():
    facts = [case(opened_on=D(2026, 1, 1), penalty_issued=True, fine_due_on=D(2026, 2, 1))]
    assert national(facts).level == "A"


def test_the_due_date_passing_is_the_next_change():
    facts = [fine(D(2026, 11, 1), D(2026, 11, 30))]
    assert national(facts).next_change_on == D(2026, 12, 1)


def test_the_yearly_evaluation_under_national_rules():
    facts = [fine(D(2025, 3, 1), D(2025, 4, 1))]
    assert evaluate_year(facts, year=2026, ruleset=NATIONAL_2016).clause_codes == "N3"
    assert evaluate_year(facts, year=2026).level == "A"


# --- repairs as facts -----------------------------------------------------------------------


def test_a_repair_stops_the_clause_from_its_grant_date():
    penalty = fine(D(2026, 9, 1), None)
    repair = RepairFacts("C4", frozenset({penalty.id}), D(2026, 11, 10))
    assert district([penalty], today=D(2026, 11, 9), repairs=[repair]).level == "C"
    after = district([penalty], today=D(2026, 11, 10), repairs=[repair])
    assert after.level == "B"  # still sanctioned in the window
    assert after.since == D(2026, 11, 10)


def test_a_repair_granted_later_is_the_next_change():
    penalty = fine(D(2026, 9, 1), None)
    repair = RepairFacts("C4", frozenset({penalty.id}), D(2026, 12, 1))
    assert district([penalty], repairs=[repair]).next_change_on == D(2026, 12, 1)


def test_a_repair_covers_its_own_cases_and_clause_only():
    first = fine(D(2026, 9, 1), None)
    later = fine(D(2026, 11, 1), None)
    repair = RepairFacts("C4", frozenset({first.id}), D(2026, 10, 1))
    rating = district([first, later], repairs=[repair])
    assert rating.clause_codes == "C4"
    assert rating.clauses[0].case_ids == (later.id,)
    other = RepairFacts("C5", frozenset({first.id}), D(2026, 10, 1))
    assert district([first], repairs=[other]).clause_codes == "C4"


def test_a_repaired_c1_needs_three_unrepaired_sanctions():
    cases = [
        case(
            opened_on=day,
            decided_on=day,
            order_issued=True,
            order_deadline=day,
            order_rectified_on=day,
        )
        for day in (D(2026, 2, 1), D(2026, 4, 1), D(2026, 6, 1))
    ]
    assert district(cases).clause_codes == "C1"
    repair = RepairFacts("C1", frozenset(c.id for c in cases), D(2026, 10, 1))
    assert district(cases, repairs=[repair]).level == "B"
    fourth = case(
        opened_on=D(2026, 11, 1),
        decided_on=D(2026, 11, 1),
        order_issued=True,
        order_deadline=D(2026, 12, 1),
    )
    assert district([*cases, fourth], repairs=[repair]).level == "B"


def test_repairs_of_national_clauses():
    found = case(opened_on=D(2026, 8, 1), decided_on=D(2026, 8, 1), child_labour=True)
    repair = RepairFacts("N1", frozenset({found.id}), D(2026, 11, 1))
    assert national([found]).clause_codes == "N1"
    assert national([found], repairs=[repair]).level == "A"
