"""Reads for the dashboard, the export and the command. Every function runs a fixed number of
queries whatever the number of units, and none loads the ids behind failures except
``check_for_cell``."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from core.dates import add_months
from core.roles import roles_of, sees_whole_district
from employers.models import Employer, Unit
from ratings.models import Level

from .checks import CHECKS
from .models import CoverageCheck, CoverageResult, CoverageRun


def units_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Unit]:
    """Every unit for supervisors and admins, an inspector's own units, none otherwise."""
    if sees_whole_district(user):
        return Unit.objects.order_by("code")
    if roles_of(user):
        return Unit.objects.filter(inspectors=user).order_by("code")
    return Unit.objects.none()


@dataclass
class MatrixRow:
    unit: Unit
    result: CoverageResult | None
    # in CHECKS order; None where the month has no result for the unit yet
    cells: list[CoverageCheck | None]


def month_matrix(*, month: datetime.date, units: QuerySet[Unit] | None = None) -> list[MatrixRow]:
    """The units x checks matrix of one month. Two queries (units, results with their checks
    joined); the failing ids are deferred."""
    units = list(units if units is not None else Unit.objects.order_by("code"))
    checks = (
        CoverageCheck.objects.filter(result__month=month, result__unit__in=[u.pk for u in units])
        .select_related("result")
        .defer("subject_ids")
        .order_by()
    )
    by_unit: dict[int, dict[str, CoverageCheck]] = {}
    results: dict[int, CoverageResult] = {}
    for check in checks:
        results[check.result.unit_id] = check.result
        by_unit.setdefault(check.result.unit_id, {})[check.code] = check
    return [
        MatrixRow(
            unit=unit,
            result=results.get(unit.pk),
            cells=[by_unit.get(unit.pk, {}).get(c.code) for c in CHECKS],
        )
        for unit in units
    ]


def months_with_results(limit: int = 36) -> list[datetime.date]:
    return list(
        CoverageResult.objects.order_by("-month").values_list("month", flat=True).distinct()[:limit]
    )


def _share(passed: int, total: int) -> float | None:
    return round(100 * passed / total, 1) if total else None


def trend(
    *,
    units: QuerySet[Unit],
    last_month: datetime.date,
    months: int = 12,
    selected: str | None = None,
) -> dict:
    """Share of checks passed over the ``months`` months ending with ``last_month``, shaped for
    the dashboard's chart (supervision/static/supervision/coverage.js), which draws two lines:
    the district's share and the selected unit's. One query.

    ``labels``: the months; ``district``: per month, checks passed over checks run in every
    unit (a share of all checks, not a mean of the units' shares; None for a month without
    results); ``datasets``: one per unit the user may see, ``{"code", "label", "data"}``;
    ``selected``: the unit drawn, ``selected`` if it is one of those, else the unit with the
    lowest share in the latest month that has results (the one to look at first), else the
    first unit."""
    first = add_months(last_month, -(months - 1))
    labels = [add_months(first, i) for i in range(months)]
    unit_list = list(units)
    rows = CoverageResult.objects.filter(month__gte=first, month__lte=last_month).values_list(
        "unit_id", "month", "checks_passed", "checks_total"
    )
    share: dict[tuple[int, datetime.date], float | None] = {}
    district: dict[datetime.date, list[int]] = {}
    for unit_id, month, passed, total in rows:
        share[(unit_id, month)] = _share(passed, total)
        sums = district.setdefault(month, [0, 0])
        sums[0] += passed
        sums[1] += total
    datasets = [
        {
            "code": unit.code,
            "label": unit.name,
            "data": [share.get((unit.pk, m)) for m in labels],
        }
        for unit in unit_list
    ]
    return {
        "labels": [f"{m:%Y-%m}" for m in labels],
        "district": [_share(*district[m]) if m in district else None for m in labels],
        "datasets": datasets,
        "selected": _selected_unit(datasets, selected),
    }


def _selected_unit(datasets: list[dict], wanted: str | None) -> str | None:
    codes = [d["code"] for d in datasets]
    if wanted in codes:
        return wanted
    for index in reversed(range(len(datasets[0]["data"]) if datasets else 0)):
        shares = [
            (d["data"][index], i) for i, d in enumerate(datasets) if d["data"][index] is not None
        ]
        if shares:
            return codes[min(shares)[1]]
    return codes[0] if codes else None


@dataclass
class RatingCounts:
    unit: Unit
    a: int
    b: int
    c: int
    unrated: int

    @property
    def total(self) -> int:
        return self.a + self.b + self.c + self.unrated


# The distribution scans every active employer and its rating (about 1.5 s at a million
# employers): counted for the whole district at most once per this many seconds per process.
RATING_DISTRIBUTION_CACHE_SECONDS = 300
_DISTRIBUTION_CACHE_KEY = "supervision:rating-distribution"


def _district_rating_counts() -> tuple[dict[int, dict[str, int]], datetime.datetime]:
    cached = cache.get(_DISTRIBUTION_CACHE_KEY)
    if cached is not None:
        return cached
    rows = (
        Employer.objects.active()
        .order_by()
        .values("unit_id")
        .annotate(
            a=Count("id", filter=Q(rating__level=Level.A)),
            b=Count("id", filter=Q(rating__level=Level.B)),
            c=Count("id", filter=Q(rating__level=Level.C)),
            unrated=Count("id", filter=Q(rating__isnull=True)),
        )
    )
    counted = ({row.pop("unit_id"): row for row in rows}, timezone.now())
    cache.set(_DISTRIBUTION_CACHE_KEY, counted, RATING_DISTRIBUTION_CACHE_SECONDS)
    return counted


def rating_distribution(*, units: QuerySet[Unit]) -> tuple[list[RatingCounts], datetime.datetime]:
    """Current A/B/C counts of active employers per unit, employers not rated yet apart, and
    when they were counted (one grouped query for the whole district, cached for five
    minutes)."""
    counts, counted_at = _district_rating_counts()
    empty = {"a": 0, "b": 0, "c": 0, "unrated": 0}
    rows = [RatingCounts(unit=unit, **counts.get(unit.pk, empty)) for unit in units]
    return rows, counted_at


def latest_run(month: datetime.date) -> CoverageRun | None:
    return (
        CoverageRun.objects.filter(month=month)
        .select_related("requested_by")
        .order_by("-requested_at", "-id")
        .first()
    )


def check_for_cell(*, month: datetime.date, unit: Unit, code: str) -> CoverageCheck | None:
    """One cell with the ids behind it."""
    return (
        CoverageCheck.objects.filter(result__month=month, result__unit=unit, code=code)
        .select_related("result", "result__unit")
        .first()
    )
