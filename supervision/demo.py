"""Demo coverage: the last 12 months checked, so the dashboard has a matrix and a trend."""

import random

from core.dates import add_months

from .models import CoverageResult
from .months import format_month, previous_month
from .services import coverage_check_month

DEMO_MONTHS = 12


def seed_coverage(rng: random.Random) -> str:
    """Idempotent: once any month has results, nothing is added (``make run`` seeds every
    start). Runs after the ratings seeder, so the C checks see the demo ratings."""
    months = CoverageResult.objects.values("month").distinct().count()
    if months:
        return f"coverage: {months} months already checked"
    last = previous_month()
    for offset in range(DEMO_MONTHS - 1, -1, -1):
        coverage_check_month(month=add_months(last, -offset))
    first = add_months(last, -(DEMO_MONTHS - 1))
    return f"coverage: checked {format_month(first)} to {format_month(last)}"
