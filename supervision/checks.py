"""The monthly coverage checks, each measured for every unit at once.

Each check is a function ``(period, unit_ids) -> {unit_id: Outcome}`` that runs a fixed number of
queries (one or two) whatever the number of units or employers: it groups by unit in SQL or
walks one narrow result set, never loops over units issuing queries. A check returns an outcome
for every unit it was given, so a unit with no employers still gets a row.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Max, Q

from complaints.models import Complaint
from core.dates import add_months
from employers.models import Employer
from inspections.models import WrittenReview
from planning.models import DEFAULT_INTERVAL_MONTHS, PatrolInterval
from ratings.models import Level

from .models import CheckCode
from .months import Period

DEFAULT_C_INTERVAL_MONTHS = DEFAULT_INTERVAL_MONTHS[Level.C]


@dataclass
class Outcome:
    figure: Decimal
    threshold: Decimal
    passed: bool
    total: int | None = None
    # the records behind a failure; empty when the check passed
    subject_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class CheckDefinition:
    code: str
    measure: Callable[[Period, list[int]], dict[int, Outcome]]
    # which records subject_ids point at: "employer", "complaint" or "review"
    subject: str
    # how the figure compares with the threshold, for display: ">=" or "<="
    comparison: str
    # a share in percent rather than a count
    percent: bool = False


def _grouped(rows: Iterable[tuple[int, int]], unit_ids: list[int]) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = {unit_id: [] for unit_id in unit_ids}
    for unit_id, record_id in rows:
        if unit_id in grouped:
            grouped[unit_id].append(record_id)
    for ids in grouped.values():
        ids.sort()
    return grouped


def _count_at_most(
    grouped: dict[int, list[int]], threshold: int = 0, total: dict[int, int] | None = None
) -> dict[int, Outcome]:
    """Outcomes for "no more than ``threshold`` overdue records" checks."""
    outcomes = {}
    for unit_id, ids in grouped.items():
        passed = len(ids) <= threshold
        outcomes[unit_id] = Outcome(
            figure=Decimal(len(ids)),
            threshold=Decimal(threshold),
            passed=passed,
            total=None if total is None else total.get(unit_id, 0),
            subject_ids=[] if passed else ids,
        )
    return outcomes


def check_new_employers(period: Period, unit_ids: list[int]) -> dict[int, Outcome]:
    """Employers added to the registry during the month, at least COVERAGE_MIN_NEW_EMPLOYERS.

    A failing unit lists the few it did add. One query."""
    threshold = settings.COVERAGE_MIN_NEW_EMPLOYERS
    rows = Employer.objects.filter(
        created_at__gte=period.start, created_at__lt=period.end
    ).values_list("unit_id", "id")
    outcomes = {}
    for unit_id, ids in _grouped(rows, unit_ids).items():
        passed = len(ids) >= threshold
        outcomes[unit_id] = Outcome(
            figure=Decimal(len(ids)),
            threshold=Decimal(threshold),
            passed=passed,
            subject_ids=[] if passed else ids,
        )
    return outcomes


def verified_cutoff(period: Period) -> datetime.date:
    """A record verified after this day counts as verified within the last 12 months."""
    return add_months(period.as_of, -12)


def check_verified(period: Period, unit_ids: list[int]) -> dict[int, Outcome]:
    """Share of active employers whose record was verified in the 12 months before
    ``as_of``; at least COVERAGE_MIN_VERIFIED_PERCENT. A failing unit lists its stale ones.

    The register as it stands is judged (``verified_on`` keeps only the latest date, and a
    roster imported after the month must not make that month look verified by leaving its
    employers out). Two queries: the totals grouped by unit, then the stale ids."""
    threshold = Decimal(settings.COVERAGE_MIN_VERIFIED_PERCENT)
    cutoff = verified_cutoff(period)
    on_register = Employer.objects.active()
    totals = dict(
        on_register.order_by().values("unit_id").annotate(n=Count("id")).values_list("unit_id", "n")
    )
    stale_rows = on_register.filter(
        Q(verified_on__isnull=True) | Q(verified_on__lte=cutoff)
    ).values_list("unit_id", "id")
    outcomes = {}
    for unit_id, stale in _grouped(stale_rows, unit_ids).items():
        total = totals.get(unit_id, 0)
        if total:
            share = (Decimal(total - len(stale)) * 100 / total).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
        else:
            # nothing on the register: nothing left unverified
            share = Decimal(100)
        passed = share >= threshold
        outcomes[unit_id] = Outcome(
            figure=share,
            threshold=threshold,
            passed=passed,
            total=total,
            subject_ids=[] if passed else stale,
        )
    return outcomes


def c_patrol_interval_months() -> int:
    months = PatrolInterval.objects.filter(level=Level.C).values_list("months", flat=True).first()
    return months or DEFAULT_C_INTERVAL_MONTHS


def c_employers_overdue(
    as_of: datetime.date,
) -> tuple[dict[int, list[tuple[int, datetime.date | None]]], dict[int, int]]:
    """C-level active employers whose patrol is overdue on ``as_of``, grouped by unit as
    ``(employer id, last patrol)``, and the number of C employers per unit.

    Overdue as on the ratings' patrols-due list: the last patrol plus the C interval lies
    before ``as_of``, or the employer was never patrolled (a C employer is due at once). Two
    queries: the interval, then one grouped pass over the C employers."""
    interval = c_patrol_interval_months()
    rows = (
        Employer.objects.active()
        .filter(rating__level=Level.C)
        .annotate(
            last_patrol=Max("patrols__patrolled_on", filter=Q(patrols__patrolled_on__lte=as_of))
        )
        .order_by()
        .values_list("unit_id", "id", "last_patrol")
    )
    overdue: dict[int, list[tuple[int, datetime.date | None]]] = defaultdict(list)
    totals: dict[int, int] = defaultdict(int)
    for unit_id, employer_id, last_patrol in rows:
        totals[unit_id] += 1
        if last_patrol is None or add_months(last_patrol, interval) < as_of:
            overdue[unit_id].append((employer_id, last_patrol))
    return overdue, totals


def check_c_patrolled(period: Period, unit_ids: list[int]) -> dict[int, Outcome]:
    """Every C employer patrolled within the C interval (ratings.PatrolInterval): the figure is
    the number overdue, out of the unit's C employers."""
    overdue, totals = c_employers_overdue(period.as_of)
    grouped = {
        unit_id: sorted(employer_id for employer_id, _last in overdue.get(unit_id, []))
        for unit_id in unit_ids
    }
    return _count_at_most(grouped, total=totals)


def complaints_overdue_q(as_of: datetime.date) -> Q:
    """Complaints that, on ``as_of``, were past a statutory deadline: no acceptance decision by
    the acceptance deadline (unless waiting for the complainant's materials, which stops the
    clock), or not closed by the investigation deadline (extension included). Judged from the
    dates, so an old month is judged as it stood then."""
    acceptance_late = (
        Q(acceptance_due_on__lt=as_of)
        & (Q(decided_on__isnull=True) | Q(decided_on__gt=as_of))
        & ~Q(status=Complaint.Status.SUPPLEMENT)
    )
    investigation_late = Q(investigation_due_on__lt=as_of) & (
        Q(closed_on__isnull=True) | Q(closed_on__gt=as_of)
    )
    return Q(received_on__lte=as_of) & (acceptance_late | investigation_late)


def check_complaints(period: Period, unit_ids: list[int]) -> dict[int, Outcome]:
    """No complaint past its acceptance or investigation deadline at the end of the month.
    Counted in the unit the complaint was recorded in, so complaints against employers not in
    the registry count too. One query."""
    rows = Complaint.objects.filter(complaints_overdue_q(period.as_of)).values_list("unit_id", "id")
    return _count_at_most(_grouped(rows, unit_ids))


def reviews_overdue_q(as_of: datetime.date) -> Q:
    """Written reviews that, on ``as_of``, had been returned and were still not resubmitted
    although their resubmission deadline had passed. Judged from the dates, so rerunning an old
    month counts a review resubmitted later as overdue back then."""
    return (
        Q(resubmit_deadline__lt=as_of)
        & (Q(returned_on__isnull=True) | Q(returned_on__lte=as_of))
        & (Q(resubmitted_on__isnull=True) | Q(resubmitted_on__gt=as_of))
        & (Q(concluded_on__isnull=True) | Q(concluded_on__gt=as_of))
    )


def check_reviews(period: Period, unit_ids: list[int]) -> dict[int, Outcome]:
    """No written review returned for resubmission and left past its deadline. One query."""
    rows = WrittenReview.objects.filter(reviews_overdue_q(period.as_of)).values_list(
        "employer__unit_id", "id"
    )
    return _count_at_most(_grouped(rows, unit_ids))


CHECKS: list[CheckDefinition] = [
    CheckDefinition(CheckCode.NEW_EMPLOYERS, check_new_employers, "employer", ">="),
    CheckDefinition(CheckCode.VERIFIED, check_verified, "employer", ">=", percent=True),
    CheckDefinition(CheckCode.C_PATROLLED, check_c_patrolled, "employer", "<="),
    CheckDefinition(CheckCode.COMPLAINTS, check_complaints, "complaint", "<="),
    CheckDefinition(CheckCode.REVIEWS, check_reviews, "review", "<="),
]
CHECKS_BY_CODE = {check.code: check for check in CHECKS}


def measure_all(period: Period, unit_ids: list[int]) -> dict[int, dict[str, Outcome]]:
    """Every check for every unit: ``{unit_id: {check code: outcome}}``."""
    by_unit: dict[int, dict[str, Outcome]] = {unit_id: {} for unit_id in unit_ids}
    for check in CHECKS:
        for unit_id, outcome in check.measure(period, unit_ids).items():
            by_unit[unit_id][check.code] = outcome
    return by_unit
