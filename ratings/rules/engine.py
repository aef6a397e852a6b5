"""The rating rules (SPEC sections 5 and 5a): an employer's case facts, its granted repairs,
a rule set and a date in, a level out.

Pure: no ORM, no settings, no clock. Plain dataclasses in, a plain dataclass out, so that the
rules can be read in one sitting, tested exhaustively, and replayed for any day. Month
arithmetic is the ground floor's ``core.dates.add_months`` (cached, as a full rerate asks for
the same few hundred days).

Definitions the rest of the product relies on:

* **Sanctioned (被查处)** on day T: the case carries an order to correct, a handling decision or a
  penalty, is not withdrawn, and has a decision date on or before T. A case without a decision
  date (or with one after T) is not sanctioned yet.
* **Evaluation window** on day T (rolling, ``window_months`` long): a date D is in the window when
  ``T − window_months < D ≤ T``, where ``T − n months`` keeps the day of the month (clamped to the
  month's last day). Example with 12 months: a case decided 2025-11-10 counts up to and including
  2026-11-09 and no longer on 2026-11-10.
* **A deadline D has passed** on day T when ``T > D``: the deadline day itself is still in time.
* **C2 / C3** hold from the day after the deadline until the rectification (fulfilment) date,
  whatever the age of the case: a rectification dated after the deadline clears the clause from
  that date on; one dated on or before the deadline means the clause never fired.
* **C5 / C6 / C7** flags count within the window by the decision date, or by the opened date
  while the case has no decision yet (a mass incident is known when the case is opened).
* **Withdrawn (撤销立案)** cases count for nothing at all.
* **N1 / N2** (rule set ``national-2016``): child or forced labour, refusing or obstructing an
  inspection, found in a case; placed in the window like C5-C7.
* **N3** (``national-2016``): a penalty whose fine is unpaid after its due date holds from the
  day after the due date until the paid date, like C2/C3.
* **Repair (信用修复)**: a repair granted on day G for a clause and the cases behind it stops
  those cases counting for that clause from G on (they may still make the employer B). Cases
  that come later count again. C2, C3 and N3 are not repaired: they end when remedied.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from core.dates import add_months

from .rulesets import C_CODES, DEFAULT_RULESET, RuleSet

Date = datetime.date
ONE_DAY = datetime.timedelta(days=1)

LEVEL_A = "A"
LEVEL_B = "B"
LEVEL_C = "C"

C1_MIN_SANCTIONS = 3


@dataclass(frozen=True)
class CaseFacts:
    """What the rules need to know about one enforcement case (field names as on ``Case``)."""

    id: int
    number: str
    opened_on: Date
    decided_on: Date | None = None
    order_issued: bool = False
    order_deadline: Date | None = None
    order_rectified_on: Date | None = None
    decision_issued: bool = False
    decision_deadline: Date | None = None
    decision_fulfilled_on: Date | None = None
    penalty_issued: bool = False
    mass_incident: bool = False
    serious: bool = False
    criminal: bool = False
    withdrawn: bool = False
    # national-2016 facts; the district rules ignore them.
    child_labour: bool = False
    forced_labour: bool = False
    obstructed_inspection: bool = False
    fine_due_on: Date | None = None
    fine_paid_on: Date | None = None

    def sanctioned_on(self, day: Date) -> bool:
        return (
            not self.withdrawn
            and (self.order_issued or self.decision_issued or self.penalty_issued)
            and self.decided_on is not None
            and self.decided_on <= day
        )

    @property
    def flag_date(self) -> Date:
        """The date that places a C5-C7 flag in the window."""
        return self.decided_on or self.opened_on

    @property
    def has_flag(self) -> bool:
        return self.mass_incident or self.serious or self.criminal


@dataclass(frozen=True)
class RepairFacts:
    """A granted repair: clause ``code`` no longer counts ``case_ids`` from ``granted_on``."""

    code: str
    case_ids: frozenset[int]
    granted_on: Date

    def covers(self, code: str, case_id: int, day: Date) -> bool:
        return code == self.code and case_id in self.case_ids and self.granted_on <= day


@dataclass(frozen=True)
class ClauseCase:
    """One case behind a clause.

    ``on``: for window clauses the date that places the case in the window (decision date, or
    opened date for a flag without a decision); for C2/C3 the first overdue day.
    ``until``: the day it stops counting by itself (leaves the window), None for C2/C3."""

    case_id: int
    number: str
    on: Date
    until: Date | None = None


@dataclass(frozen=True)
class Clause:
    code: str
    cases: tuple[ClauseCase, ...]

    @property
    def case_ids(self) -> tuple[int, ...]:
        return tuple(c.case_id for c in self.cases)


@dataclass(frozen=True)
class NotCounted:
    """A case with measures or flags that the rules leave out, and why."""

    case_id: int
    number: str
    reason: str  # "withdrawn" | "no_decision"


@dataclass(frozen=True)
class Rating:
    level: str
    clauses: tuple[Clause, ...]
    # The first day after ``today`` on which the answer (level, clauses or the cases behind
    # them) changes by itself; None when nothing will change without new records.
    next_change_on: Date | None = None
    # The first day of the run of days, up to today, on which the level was what it is now;
    # None when it has been so for as long as the records go back.
    since: Date | None = None
    window_start: Date | None = None  # exclusive: the window is (window_start, today]
    not_counted: tuple[NotCounted, ...] = field(default=())

    @property
    def clause_codes(self) -> str:
        """``C1;C4`` (only C clauses; an A or B rating has none)."""
        return ";".join(c.code for c in self.clauses if c.code in C_CODES)

    @property
    def signature(self) -> tuple:
        """What the rating says, without the dates it is computed from."""
        return (self.level, tuple((c.code, c.case_ids) for c in self.clauses))


@dataclass(frozen=True)
class Remedy:
    """Recording this rectification (``rectify``) or fulfilment (``fulfil``) today gives
    ``level_after``."""

    kind: str
    case_id: int
    number: str
    overdue_since: Date
    level_after: str


@dataclass(frozen=True)
class Outlook:
    """What would change the rating: remedies the employer can make, and what time will do."""

    remedies: tuple[Remedy, ...]
    all_remedied_level: str | None
    next_change_on: Date | None
    next_level: str | None
    next_clause_codes: str | None


# --- calendar ---------------------------------------------------------------------------


def window_start(today: Date, window_months: int) -> Date:
    """Exclusive start of the rolling window on ``today``."""
    return add_months(today, -window_months)


def in_window(day: Date | None, *, start: Date, today: Date) -> bool:
    return day is not None and start < day <= today


@functools.lru_cache(maxsize=8192)
def leaves_window_on(day: Date, window_months: int) -> Date:
    """The first date on which a case dated ``day`` is no longer in the rolling window."""
    candidate = add_months(day, window_months)
    # Month-end clamping can put the plain anniversary a day or two off; step to the exact edge.
    while window_start(candidate - ONE_DAY, window_months) >= day:
        candidate -= ONE_DAY
    while window_start(candidate, window_months) < day:
        candidate += ONE_DAY
    return candidate


# --- the rules --------------------------------------------------------------------------
#
# Each case counts for a clause over one run of days: from the day it is placed (decided,
# flagged, past its deadline) until the first day it no longer counts (it leaves the window, is
# remedied, or is repaired). The answer on a day is the runs that hold on that day; it can only
# change on a day a run begins or ends, so ``evaluate`` looks at those days and at no others.

# The cases sanctioned in the window: the B clause, and what C1 counts.
SANCTIONED = "sanctioned"


class _Counted(NamedTuple):
    """Case ``case_id`` counts for clause ``code`` on the days ``start <= day < end`` (``end``
    None: until new records say otherwise); listed with ``on`` and ``until`` (``ClauseCase``)."""

    code: str
    case_id: int
    number: str
    on: Date
    until: Date | None
    start: Date
    end: Date | None


# (clause, measure issued, its deadline, the day it was remedied): C2, C3 and N3.
_OVERDUE_FACTS = (
    ("C2", "order_issued", "order_deadline", "order_rectified_on"),
    ("C3", "decision_issued", "decision_deadline", "decision_fulfilled_on"),
    ("N3", "penalty_issued", "fine_due_on", "fine_paid_on"),
)
# (clause, whether a case carries its flag): placed in the window by the flag date.
_FLAG_FACTS: tuple[tuple[str, Callable[[CaseFacts], bool]], ...] = (
    ("C5", lambda c: c.mass_incident),
    ("C6", lambda c: c.serious),
    ("C7", lambda c: c.criminal),
    ("N1", lambda c: c.child_labour or c.forced_labour),
    ("N2", lambda c: c.obstructed_inspection),
)


def _counted(
    cases: Iterable[CaseFacts],
    *,
    ruleset: RuleSet,
    repairs: Sequence[RepairFacts],
    leaves: Callable[[Date], Date | None],
    shown_until: Callable[[Date], Date | None],
) -> list[_Counted]:
    """Every run of days on which a case counts for a clause (or as sanctioned in the window).

    ``leaves(D)``: the first day a case placed on D is out of the window (None: never);
    ``shown_until(D)``: the end recorded with the case (``ClauseCase.until``). Sorted as the
    cases are listed in a clause: by the day that places them, then by case id."""
    runs: list[_Counted] = []
    for case in cases:
        if case.withdrawn:
            continue
        decided = case.decided_on
        if decided is not None and (
            case.order_issued or case.decision_issued or case.penalty_issued
        ):
            ends, until = leaves(decided), shown_until(decided)
            runs.append(_Counted(SANCTIONED, case.id, case.number, decided, until, decided, ends))
            runs.append(_Counted("C1", case.id, case.number, decided, until, decided, ends))
            if case.penalty_issued:
                runs.append(_Counted("C4", case.id, case.number, decided, until, decided, ends))
            for code, issued, deadline_name, done_name in _OVERDUE_FACTS:
                deadline = getattr(case, deadline_name)
                if deadline is not None and getattr(case, issued):
                    # overdue from the day after the deadline (once decided) until remedied
                    overdue = deadline + ONE_DAY
                    done = getattr(case, done_name)
                    start = max(decided, overdue)
                    runs.append(_Counted(code, case.id, case.number, overdue, None, start, done))
        if case.has_flag or case.child_labour or case.forced_labour or case.obstructed_inspection:
            placed = case.flag_date
            ends, until = leaves(placed), shown_until(placed)
            runs.extend(
                _Counted(code, case.id, case.number, placed, until, placed, ends)
                for code, flagged in _FLAG_FACTS
                if flagged(case)
            )
    if repairs:  # a granted repair ends the run of its clause's cases on its grant day
        runs = [_repaired(run, repairs) for run in runs]
    codes = set(ruleset.codes)
    counted = [
        run
        for run in runs
        if (run.code in codes or run.code == SANCTIONED)
        and (run.end is None or run.start < run.end)
    ]
    counted.sort(key=lambda x: (x.on, x.case_id))
    return counted


def _repaired(run: _Counted, repairs: Sequence[RepairFacts]) -> _Counted:
    end = run.end
    for repair in repairs:
        covered = repair.code == run.code and run.case_id in repair.case_ids
        if covered and (end is None or repair.granted_on < end):
            end = repair.granted_on
    return run if end == run.end else run._replace(end=end)


_Answer = tuple[str, tuple[tuple[str, list[_Counted]], ...]]


def _answer(counted: Sequence[_Counted], *, day: Date, ruleset: RuleSet) -> _Answer:
    """Level and clauses (each with the runs behind it) on ``day``: C when a clause holds (C1
    with three sanctions or more), else B when a case is sanctioned in the window, else A."""
    found: dict[str, list[_Counted]] = {}
    for x in counted:
        if x.start <= day and (x.end is None or day < x.end):
            found.setdefault(x.code, []).append(x)
    clauses = tuple(
        (code, found[code])
        for code in ruleset.codes
        if code in found and (code != "C1" or len(found[code]) >= C1_MIN_SANCTIONS)
    )
    if clauses:
        return LEVEL_C, clauses
    if SANCTIONED in found:
        return LEVEL_B, (("B", found[SANCTIONED]),)
    return LEVEL_A, ()


def _clauses(answer: _Answer) -> tuple[Clause, ...]:
    return tuple(
        Clause(code, tuple(ClauseCase(x.case_id, x.number, x.on, x.until) for x in runs))
        for code, runs in answer[1]
    )


def _signature(answer: _Answer) -> tuple:
    """What the answer says, without the dates (``Rating.signature``)."""
    level, clauses = answer
    return (level, tuple((code, tuple(x.case_id for x in runs)) for code, runs in clauses))


def _not_counted(cases: Iterable[CaseFacts], day: Date) -> tuple[NotCounted, ...]:
    result = []
    for c in cases:
        has_measure = c.order_issued or c.decision_issued or c.penalty_issued
        if c.withdrawn and (has_measure or c.has_flag):
            result.append(NotCounted(c.id, c.number, "withdrawn"))
        elif has_measure and not c.sanctioned_on(day):
            result.append(NotCounted(c.id, c.number, "no_decision"))
    return tuple(result)


def evaluate(
    cases: Sequence[CaseFacts],
    *,
    today: Date,
    window_months: int = 12,
    ruleset: RuleSet = DEFAULT_RULESET,
    repairs: Sequence[RepairFacts] = (),
) -> Rating:
    """The rating on ``today`` over the rolling window, with when it next changes by itself
    and since when it has been at its level."""
    if not cases:  # most employers: nothing to evaluate, nothing will change by itself
        return Rating(level=LEVEL_A, clauses=(), window_start=window_start(today, window_months))

    def leaves(day: Date) -> Date:
        return leaves_window_on(day, window_months)

    counted = _counted(cases, ruleset=ruleset, repairs=repairs, leaves=leaves, shown_until=leaves)
    answer = _answer(counted, day=today, ruleset=ruleset)
    level, signature = answer[0], _signature(answer)
    # The days a run begins or ends: between two of them every answer is the same.
    changes = sorted({x.start for x in counted} | {x.end for x in counted if x.end is not None})

    next_change_on = None
    for day in changes:
        if day > today and _signature(_answer(counted, day=day, ruleset=ruleset)) != signature:
            next_change_on = day
            break

    since = None
    for day in reversed(changes):
        if day <= today and _answer(counted, day=day - ONE_DAY, ruleset=ruleset)[0] != level:
            since = day
            break

    return Rating(
        level=level,
        clauses=_clauses(answer),
        next_change_on=next_change_on,
        since=since,
        window_start=window_start(today, window_months),
        not_counted=_not_counted(cases, today),
    )


def evaluate_year(
    cases: Sequence[CaseFacts],
    *,
    year: int,
    ruleset: RuleSet = DEFAULT_RULESET,
    repairs: Sequence[RepairFacts] = (),
) -> Rating:
    """The yearly evaluation (年度评价): the answer on 31 December of ``year`` over that calendar
    year (decided 1 January to 31 December), plus C2/C3 still open at the year's end whatever
    the age of the case. Records dated after the year's end do not count."""
    year_end = Date(year, 12, 31)
    start = Date(year - 1, 12, 31)

    def leaves(day: Date) -> Date | None:
        return None if day > start else day  # in the year's window, or never

    counted = _counted(
        cases, ruleset=ruleset, repairs=repairs, leaves=leaves, shown_until=lambda day: None
    )
    answer = _answer(counted, day=year_end, ruleset=ruleset)
    return Rating(
        level=answer[0],
        clauses=_clauses(answer),
        window_start=start,
        not_counted=_not_counted(cases, year_end),
    )


def outlook(
    cases: Sequence[CaseFacts],
    *,
    today: Date,
    window_months: int = 12,
    ruleset: RuleSet = DEFAULT_RULESET,
    repairs: Sequence[RepairFacts] = (),
) -> Outlook:
    """What would change the rating: each overdue order or decision remedied today (the rules
    re-run with that one fact fixed), all of them remedied, and the next change time brings."""

    def rate(facts: Sequence[CaseFacts], day: Date = today) -> Rating:
        return evaluate(
            facts, today=day, window_months=window_months, ruleset=ruleset, repairs=repairs
        )

    current = rate(cases)
    remedies: list[Remedy] = []
    fixed_all = list(cases)
    for clause in current.clauses:
        if clause.code not in ("C2", "C3"):
            continue
        field_name = "order_rectified_on" if clause.code == "C2" else "decision_fulfilled_on"
        kind = "rectify" if clause.code == "C2" else "fulfil"
        for item in clause.cases:
            patched = [
                replace(c, **{field_name: today}) if c.id == item.case_id else c for c in cases
            ]
            after = rate(patched)
            remedies.append(Remedy(kind, item.case_id, item.number, item.on, after.level))
            fixed_all = [
                replace(c, **{field_name: today}) if c.id == item.case_id else c for c in fixed_all
            ]
    all_level = None
    if len(remedies) > 1:
        all_level = rate(fixed_all).level
    next_level = next_codes = None
    if current.next_change_on is not None:
        later = rate(cases, current.next_change_on)
        next_level, next_codes = later.level, later.clause_codes
    return Outlook(
        remedies=tuple(remedies),
        all_remedied_level=all_level,
        next_change_on=current.next_change_on,
        next_level=next_level,
        next_clause_codes=next_codes,
    )
