"""Table tests of the rating rules (SPEC section 5), one clause at a time and together."""

import datetime

import pytest

from ratings.rules import (
    add_months,
    evaluate,
    evaluate_year,
    leaves_window_on,
    outlook,
    window_start,
)

from .rule_facts import case, decision, order, penalty

D = datetime.date
TODAY = D(2026, 11, 15)


def rate(cases, today=TODAY, months=12):
    return evaluate(cases, today=today, window_months=months)


# --- calendar helpers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 11, 15), -12, D(2025, 11, 15)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2025, 12, 31), 2, D(2026, 2, 28)),
        (D(2026, 1, 31), -13, D(2024, 12, 31)),
    ],
)
def test_add_months_clamps_to_month_end(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("decided", "leaves"),
    [
        (D(2025, 11, 10), D(2026, 11, 10)),
        (D(2024, 2, 29), D(2025, 3, 1)),  # 2025-02-28 minus 12 months is 2024-02-28: still in
        (D(2025, 12, 31), D(2026, 12, 31)),
    ],
)
def test_leaves_window_on_is_the_first_day_out(decided, leaves):
    assert leaves_window_on(decided, 12) == leaves
    before = leaves - datetime.timedelta(days=1)
    assert window_start(before, 12) < decided  # still in the day before
    assert window_start(leaves, 12) >= decided  # out on the day


# --- single clauses ----------------------------------------------------------------------


def test_no_cases_is_a_with_nothing_pending():
    result = rate([])
    assert (result.level, result.clauses, result.next_change_on) == ("A", (), None)


def test_new_case_without_measures_is_not_a_sanction():
    assert rate([case(opened_on=D(2026, 10, 1))]).level == "A"


@pytest.mark.parametrize("measure", ["order", "decision", "penalty_only_b_excluded"])
def test_one_sanction_in_window_is_b(measure):
    if measure == "order":
        cases = [order(D(2026, 5, 1), D(2026, 6, 1), D(2026, 5, 20))]
    elif measure == "decision":
        cases = [decision(D(2026, 5, 1), D(2026, 6, 1), D(2026, 6, 1))]
    else:
        cases = [order(D(2026, 5, 1))]  # an order without a deadline yet
    result = rate(cases)
    assert result.level == "B"
    assert [c.code for c in result.clauses] == ["B"]
    assert result.clause_codes == ""
    assert result.clauses[0].case_ids == (cases[0].id,)


def test_withdrawn_case_counts_for_nothing():
    cases = [
        penalty(D(2026, 5, 1), withdrawn=True, criminal=True),
        order(D(2026, 4, 1), D(2026, 5, 1), withdrawn=True),
    ]
    result = rate(cases)
    assert result.level == "A"
    assert {n.reason for n in result.not_counted} == {"withdrawn"}


def test_case_without_decision_date_is_not_sanctioned():
    cases = [case(penalty_issued=True), case(order_issued=True, order_deadline=None)]
    result = rate(cases)
    assert result.level == "A"
    assert [n.reason for n in result.not_counted] == ["no_decision", "no_decision"]


def test_decision_dated_after_today_counts_from_that_day():
    future = penalty(D(2026, 11, 20))
    assert rate([future]).level == "A"
    assert rate([future]).next_change_on == D(2026, 11, 20)
    assert rate([future], today=D(2026, 11, 20)).level == "C"


@pytest.mark.parametrize(
    ("count", "level", "codes"),
    [(1, "B", ""), (2, "B", ""), (3, "C", "C1"), (4, "C", "C1")],
)
def test_c1_three_or_more_sanctions(count, level, codes):
    cases = [order(D(2026, m, 1), D(2026, m, 20), D(2026, m, 10)) for m in range(3, 3 + count)]
    result = rate(cases)
    assert (result.level, result.clause_codes) == (level, codes)


def test_c1_counts_only_cases_in_window():
    cases = [
        order(D(2025, 11, 15), D(2025, 12, 1), D(2025, 11, 20)),  # on the edge: out
        order(D(2025, 11, 16), D(2025, 12, 1), D(2025, 11, 20)),  # the day after: in
        order(D(2026, 6, 1), D(2026, 7, 1), D(2026, 6, 5)),
    ]
    result = rate(cases)
    assert result.level == "B"
    assert result.clauses[0].case_ids == (cases[1].id, cases[2].id)
    # one day earlier the edge case is still in: three sanctions
    assert rate(cases, today=D(2026, 11, 14)).clause_codes == "C1"
    assert rate(cases, today=D(2026, 11, 14)).next_change_on == TODAY


@pytest.mark.parametrize(
    ("today", "level", "codes"),
    [
        (D(2026, 6, 30), "B", ""),  # the deadline day itself is still in time
        (D(2026, 7, 1), "C", "C2"),  # the day after: passed
        (D(2026, 9, 1), "C", "C2"),
    ],
)
def test_c2_deadline_passes_the_day_after(today, level, codes):
    result = rate([order(D(2026, 6, 1), D(2026, 6, 30))], today=today)
    assert (result.level, result.clause_codes) == (level, codes)


def test_c2_pending_deadline_reports_the_day_after_as_next_change():
    result = rate([order(D(2026, 11, 1), D(2026, 11, 30))])
    assert result.level == "B"
    assert result.next_change_on == D(2026, 12, 1)


def test_c2_holds_until_rectified_whatever_its_age():
    old = order(D(2019, 3, 1), D(2019, 4, 1))
    result = rate([old])
    assert (result.level, result.clause_codes) == ("C", "C2")
    assert result.clauses[0].cases[0].on == D(2019, 4, 2)
    assert result.next_change_on is None
    assert result.since == D(2019, 4, 2)


@pytest.mark.parametrize(
    ("rectified", "today", "codes"),
    [
        (D(2026, 6, 30), D(2026, 7, 1), ""),  # on the deadline: never overdue
        (D(2026, 7, 10), D(2026, 7, 9), "C2"),  # late, not yet done on the 9th
        (D(2026, 7, 10), D(2026, 7, 10), ""),  # cleared from the rectification date
    ],
)
def test_c2_late_rectification_clears_from_its_date(rectified, today, codes):
    result = rate([order(D(2026, 6, 1), D(2026, 6, 30), rectified)], today=today)
    assert result.clause_codes == codes


@pytest.mark.parametrize(
    ("fulfilled", "today", "codes"),
    [
        (None, D(2026, 8, 15), ""),
        (None, D(2026, 8, 16), "C3"),
        (D(2026, 8, 15), D(2026, 9, 1), ""),
        (D(2026, 9, 2), D(2026, 9, 1), "C3"),
        (D(2026, 9, 2), D(2026, 9, 2), ""),
    ],
)
def test_c3_performance_deadline(fulfilled, today, codes):
    result = rate([decision(D(2026, 8, 1), D(2026, 8, 15), fulfilled)], today=today)
    assert result.clause_codes == codes


def test_c3_holds_until_performed_whatever_its_age():
    assert rate([decision(D(2018, 1, 5), D(2018, 2, 5))]).clause_codes == "C3"


@pytest.mark.parametrize(
    ("decided", "codes"),
    [(D(2025, 11, 15), ""), (D(2025, 11, 16), "C4"), (TODAY, "C4")],
)
def test_c4_penalty_in_window(decided, codes):
    result = rate([penalty(decided)])
    assert result.clause_codes == codes
    assert result.level == ("C" if codes else "A")


@pytest.mark.parametrize(
    ("flag", "code"), [("mass_incident", "C5"), ("serious", "C6"), ("criminal", "C7")]
)
def test_flags_count_by_decision_date(flag, code):
    inside = order(D(2026, 2, 1), D(2026, 3, 1), D(2026, 2, 10), **{flag: True})
    outside = order(D(2025, 11, 15), D(2025, 12, 1), D(2025, 11, 20), **{flag: True})
    assert rate([inside]).clause_codes == code
    assert rate([outside]).clause_codes == ""
    assert rate([outside]).level == "A"


@pytest.mark.parametrize(
    ("flag", "code"), [("mass_incident", "C5"), ("serious", "C6"), ("criminal", "C7")]
)
def test_flags_without_decision_count_by_opened_date(flag, code):
    fresh = case(opened_on=D(2026, 10, 1), **{flag: True})
    stale = case(opened_on=D(2025, 11, 1), **{flag: True})
    assert rate([fresh]).clause_codes == code
    assert rate([fresh]).next_change_on == D(2027, 10, 1)
    assert rate([stale]).clause_codes == ""


# --- several clauses, windows and time ------------------------------------------------------


def test_several_clauses_at_once_in_code_order():
    cases = [
        penalty(D(2026, 3, 1), criminal=True),
        order(D(2026, 4, 1), D(2026, 5, 1)),
        decision(D(2026, 5, 1), D(2026, 6, 1), mass_incident=True),
    ]
    result = rate(cases)
    assert result.level == "C"
    assert result.clause_codes == "C1;C2;C3;C4;C5;C7"
    by_code = {c.code: c.case_ids for c in result.clauses}
    assert by_code["C1"] == (cases[0].id, cases[1].id, cases[2].id)
    assert by_code["C4"] == (cases[0].id,)
    assert by_code["C2"] == (cases[1].id,)


def test_penalty_leaving_window_drops_to_a_on_the_anniversary():
    result = rate([penalty(D(2026, 3, 10))])
    assert result.level == "C"
    assert result.next_change_on == D(2027, 3, 10)
    assert result.clauses[0].cases[0].until == D(2027, 3, 10)
    assert rate([penalty(D(2026, 3, 10))], today=D(2027, 3, 9)).level == "C"
    later = rate([penalty(D(2026, 3, 10))], today=D(2027, 3, 10))
    assert (later.level, later.since, later.next_change_on) == ("A", D(2027, 3, 10), None)


def test_window_length_is_a_parameter():
    cases = [penalty(D(2026, 3, 10))]
    assert rate(cases, months=6).level == "A"
    assert rate(cases, months=24).level == "C"


def test_next_change_skips_dates_that_change_nothing():
    # rectified on time: the deadline day passing changes nothing, so it is no next change
    cases = [order(D(2026, 11, 1), D(2026, 11, 30), D(2026, 11, 10))]
    result = rate(cases)
    assert result.level == "B"
    assert result.next_change_on == D(2027, 11, 1)


def test_since_is_the_day_the_level_began():
    cases = [order(D(2026, 5, 1), D(2026, 6, 1), D(2026, 8, 1)), penalty(D(2026, 7, 15))]
    # B from 05-01, C (C2) from 06-02, still C through the penalty, C2 cleared 08-01 but C4 holds
    assert rate(cases).since == D(2026, 6, 2)
    assert rate(cases).level == "C"
    assert rate(cases, today=D(2026, 5, 20)).since == D(2026, 5, 1)


# --- yearly evaluation -------------------------------------------------------------------


def test_yearly_counts_the_calendar_year_and_open_c2_at_year_end():
    cases = [
        penalty(D(2024, 12, 31)),  # previous year: out
        order(D(2025, 1, 1), D(2025, 2, 1), D(2025, 1, 20)),  # in: B
        order(D(2023, 3, 1), D(2023, 4, 1), D(2026, 2, 1)),  # open on 2025-12-31: C2
        penalty(D(2026, 1, 2)),  # next year: out
    ]
    result = evaluate_year(cases, year=2025)
    assert result.level == "C"
    assert result.clause_codes == "C2"
    cases[2] = order(D(2023, 3, 1), D(2023, 4, 1), D(2025, 12, 31), id=cases[2].id)
    assert evaluate_year(cases, year=2025).level == "B"
    assert evaluate_year([], year=2025).level == "A"


# --- outlook ------------------------------------------------------------------------------


def test_outlook_rectifying_the_only_c2_makes_it_b():
    overdue = order(D(2026, 9, 1), D(2026, 9, 30))
    result = outlook([overdue], today=TODAY)
    assert len(result.remedies) == 1
    remedy = result.remedies[0]
    assert (remedy.kind, remedy.case_id, remedy.overdue_since, remedy.level_after) == (
        "rectify",
        overdue.id,
        D(2026, 10, 1),
        "B",
    )
    assert result.all_remedied_level is None


def test_outlook_with_a_penalty_stays_c_and_tells_when_time_changes_it():
    cases = [
        order(D(2026, 9, 1), D(2026, 9, 30)),
        decision(D(2026, 9, 1), D(2026, 10, 1)),
        penalty(D(2026, 2, 1)),
    ]
    result = outlook(cases, today=TODAY)
    assert [(r.kind, r.level_after) for r in result.remedies] == [("rectify", "C"), ("fulfil", "C")]
    assert result.all_remedied_level == "C"  # three sanctions (C1) and the penalty (C4) remain
    assert result.next_change_on == D(2027, 2, 1)
    assert result.next_level == "C"
