"""Property tests of the rating rules: what must hold for any records and any day."""

import datetime
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from ratings.rules import C_CODES, CaseFacts, evaluate, evaluate_year, outlook, window_start

D = datetime.date
DAY = datetime.timedelta(days=1)
LEVEL_ORDER = {"A": 0, "B": 1, "C": 2}

dates = st.dates(min_value=D(2023, 1, 1), max_value=D(2027, 12, 31))
months = st.sampled_from([1, 6, 12, 12, 12, 24])


@st.composite
def case_facts(draw, case_id: int) -> CaseFacts:
    opened = draw(dates)
    decided = draw(st.one_of(st.none(), st.dates(min_value=opened, max_value=D(2028, 6, 30))))
    base = decided or opened

    def after(day):
        return st.one_of(st.none(), st.dates(min_value=day, max_value=day + 400 * DAY))

    order = draw(st.booleans())
    decision = draw(st.booleans())
    order_deadline = draw(after(base)) if order else None
    decision_deadline = draw(after(base)) if decision else None
    return CaseFacts(
        id=case_id,
        number=f"N{case_id}",
        opened_on=opened,
        decided_on=decided,
        order_issued=order,
        order_deadline=order_deadline,
        order_rectified_on=draw(after(base)) if order else None,
        decision_issued=decision,
        decision_deadline=decision_deadline,
        decision_fulfilled_on=draw(after(base)) if decision else None,
        penalty_issued=draw(st.booleans()),
        mass_incident=draw(st.booleans()) and draw(st.booleans()),
        serious=draw(st.booleans()) and draw(st.booleans()),
        criminal=draw(st.booleans()) and draw(st.booleans()),
        withdrawn=draw(st.booleans()) and draw(st.booleans()),
    )


@st.composite
def employer_cases(draw) -> list[CaseFacts]:
    count = draw(st.integers(min_value=0, max_value=6))
    return [draw(case_facts(i + 1)) for i in range(count)]


def days_between(first: datetime.date, last: datetime.date, limit: int = 60) -> list:
    """Every day from first to last when few, else both ends plus a spread sample."""
    span = (last - first).days
    if span < 0:
        return []
    if span <= limit:
        return [first + i * DAY for i in range(span + 1)]
    rng = random.Random(span)
    return [first, last] + [first + rng.randint(0, span) * DAY for _ in range(limit)]


@settings(max_examples=300, deadline=None)
@given(employer_cases(), dates, months)
def test_nothing_changes_before_next_change_and_something_changes_on_it(cases, today, window):
    result = evaluate(cases, today=today, window_months=window)
    if result.next_change_on is None:
        for later in (today + 400 * DAY, today + 4000 * DAY):
            assert evaluate(cases, today=later, window_months=window).signature == result.signature
        return
    assert result.next_change_on > today
    last_same = result.next_change_on - DAY
    for day in days_between(today, last_same):
        assert evaluate(cases, today=day, window_months=window).signature == result.signature
    changed = evaluate(cases, today=result.next_change_on, window_months=window)
    assert changed.signature != result.signature


@settings(max_examples=300, deadline=None)
@given(employer_cases(), dates, months)
def test_since_is_where_the_current_level_began(cases, today, window):
    result = evaluate(cases, today=today, window_months=window)
    start = result.since or D(2020, 1, 1)
    assert start <= today
    for day in days_between(start, today):
        assert evaluate(cases, today=day, window_months=window).level == result.level
    if result.since is not None:
        before = evaluate(cases, today=result.since - DAY, window_months=window)
        assert before.level != result.level


@settings(max_examples=300, deadline=None)
@given(employer_cases(), dates, months)
def test_level_follows_from_clauses(cases, today, window):
    result = evaluate(cases, today=today, window_months=window)
    codes = [c.code for c in result.clauses]
    start = window_start(today, window)
    sanctioned = [c for c in cases if c.sanctioned_on(today) and start < c.decided_on <= today]
    if any(code in C_CODES for code in codes):
        assert result.level == "C"
        assert "B" not in codes
    elif sanctioned:
        assert (result.level, codes) == ("B", ["B"])
        assert set(result.clauses[0].case_ids) == {c.id for c in sanctioned}
    else:
        assert (result.level, codes) == ("A", [])
    assert ("C1" in codes) == (len(sanctioned) >= 3)
    for clause in result.clauses:
        assert clause.cases, "a clause always names the cases behind it"
        for item in clause.cases:
            assert not next(c for c in cases if c.id == item.case_id).withdrawn


@settings(max_examples=200, deadline=None)
@given(employer_cases(), dates, st.randoms(use_true_random=False))
def test_order_of_records_and_withdrawn_cases_do_not_matter(cases, today, rng):
    result = evaluate(cases, today=today)
    shuffled = list(cases)
    rng.shuffle(shuffled)
    withdrawn_extra = [CaseFacts(**{**vars(c), "id": c.id + 100, "withdrawn": True}) for c in cases]
    again = evaluate(shuffled + withdrawn_extra, today=today)
    assert again.signature == result.signature
    assert again.next_change_on == result.next_change_on


@settings(max_examples=200, deadline=None)
@given(employer_cases(), case_facts(99), dates)
def test_another_case_never_improves_the_level(cases, extra, today):
    before = evaluate(cases, today=today).level
    after = evaluate([*cases, extra], today=today).level
    assert LEVEL_ORDER[after] >= LEVEL_ORDER[before]


@settings(max_examples=200, deadline=None)
@given(employer_cases(), st.integers(min_value=2023, max_value=2027))
def test_yearly_evaluation_is_the_rating_on_new_years_eve_with_a_12_month_window(cases, year):
    yearly = evaluate_year(cases, year=year)
    on_eve = evaluate(cases, today=D(year, 12, 31), window_months=12)
    assert yearly.signature == on_eve.signature


@settings(max_examples=200, deadline=None)
@given(employer_cases(), dates)
def test_remedying_never_makes_it_worse(cases, today):
    current = evaluate(cases, today=today)
    view = outlook(cases, today=today)
    for remedy in view.remedies:
        assert LEVEL_ORDER[remedy.level_after] <= LEVEL_ORDER[current.level]
    if view.all_remedied_level is not None:
        assert all(
            LEVEL_ORDER[view.all_remedied_level] <= LEVEL_ORDER[r.level_after]
            for r in view.remedies
        )
