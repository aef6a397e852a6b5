"""The benchmark at a tiny scale: the seed is valid and repeatable, and every measurement runs.

No timing is asserted here; the figures come from ``make bench`` (docs/performance.md).
"""

import pytest
from django.db.models import Count
from django.utils import timezone

from bench import seed
from bench.imports import IMPORT_MEASURES
from bench.measures import MEASURES, Bench
from bench.metrics import FAILED, MISSING, OK
from employers.credit_code import is_valid_credit_code
from employers.models import Employer
from inspections.models import Case, Patrol

SCALE = 200


def _quiet(_line: str) -> None:
    return None


@pytest.fixture
def seeded(db) -> dict:
    return seed.seed(SCALE, log=_quiet)


def test_seed_builds_a_realistic_district(seeded):
    assert Employer.objects.count() == SCALE
    codes = list(Employer.objects.values_list("credit_code", flat=True))
    assert all(is_valid_credit_code(code) for code in codes)
    assert len(set(codes)) == SCALE
    # spread over the units, the development zone among them
    per_unit = dict(Employer.objects.values_list("unit__code").annotate(n=Count("pk")).order_by())
    assert len(per_unit) >= 10
    assert "120111450" in per_unit
    assert Case.objects.count() == round(SCALE * 0.3)
    # every patrol has the two inspectors of the employer's unit
    patrol = Patrol.objects.select_related("employer__unit").first()
    assert patrol.inspectors.count() == 2
    assert set(patrol.inspectors.values_list("units", flat=True)) == {patrol.employer.unit_id}
    assert Case.objects.overdue(timezone.localdate()).exists()
    assert Case.objects.filter(withdrawn=True).exists()
    assert Case.objects.filter(penalty_issued=True).exists()


def test_seed_is_idempotent_and_reseeds_for_another_scale(seeded):
    again = seed.seed(SCALE, log=_quiet)
    assert again == seeded
    assert Employer.objects.count() == SCALE
    seed.seed(SCALE // 2, log=_quiet)
    assert Employer.objects.count() == SCALE // 2
    assert Case.objects.count() == round(SCALE // 2 * 0.3)


def test_credit_codes_of_new_employers_do_not_collide_with_the_seed():
    seeded_codes = {seed.credit_code_for(n, "enterprise") for n in range(1000)}
    fresh = {
        seed.credit_code_for(seed.NEW_EMPLOYER_SERIAL_BASE + n, "enterprise") for n in range(1000)
    }
    assert not seeded_codes & fresh
    assert all(is_valid_credit_code(code) for code in seeded_codes | fresh)


@pytest.mark.parametrize("key", [*IMPORT_MEASURES, *MEASURES])
def test_each_measurement_runs(seeded, tmp_path, key):
    bench = Bench(scale=SCALE, out=tmp_path, requests=3, iex_rows=40, import_rows=300, log=_quiet)
    result = {**IMPORT_MEASURES, **MEASURES}[key](bench)
    assert result.status != FAILED, result.note
    if result.status == MISSING:
        assert result.note  # says what is not built yet
        return
    assert result.status == OK
    assert result.figures
    for target in result.targets:
        assert target.figure in result.figures, target
