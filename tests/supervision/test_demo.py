import random

import pytest

from supervision.demo import DEMO_MONTHS, seed_coverage
from supervision.models import CoverageResult


@pytest.mark.django_db
def test_demo_checks_twelve_months_once():
    line = seed_coverage(random.Random(1))
    assert line.startswith("coverage: checked ")
    assert CoverageResult.objects.count() == 13 * DEMO_MONTHS
    assert seed_coverage(random.Random(1)) == f"coverage: {DEMO_MONTHS} months already checked"
    assert CoverageResult.objects.count() == 13 * DEMO_MONTHS
