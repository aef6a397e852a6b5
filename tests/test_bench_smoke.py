"""The benchmark at a tiny scale: the seed is valid and repeatable, and every measurement runs.

No timing is asserted here; the figures come from ``make bench`` (docs/performance.md).
"""

import pytest
from django.db.models import Count, F
from django.utils import timezone

from bench import seed
from bench.imports import IMPORT_MEASURES
from bench.measures import MEASURES, Bench
from bench.metrics import FAILED, MISSING, OK
from complaints.models import Complaint
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
    complaints = Complaint.objects.all()
    assert complaints.count() == round(SCALE * 0.06)
    # complaints that opened a case point at a case of the same employer
    with_case = complaints.filter(case__isnull=False)
    assert with_case.exists()
    assert with_case.count() == with_case.filter(case__employer=F("employer")).count()


def test_seed_is_idempotent_and_reseeds_for_another_scale(seeded):
    again = seed.seed(SCALE, log=_quiet)
    assert again == seeded
    assert Employer.objects.count() == SCALE
    seed.seed(SCALE // 2, log=_quiet)
    assert Employer.objects.count() == SCALE // 2
    assert Case.objects.count() == round(SCALE // 2 * 0.3)


def test_seeded_codes_are_valid_and_never_look_like_the_roster_benchmark_rows():
    from bench import import_roster

    kinds = ("enterprise", "individual")
    codes = {seed.credit_code_for(n, kind) for n in range(2000) for kind in kinds}
    assert len(codes) == 4000
    assert all(is_valid_credit_code(code) for code in codes)
    # bench/import_roster.py removes its rows by this prefix; it must never match a seeded one
    assert not any(code[8:10] == import_roster.MARK for code in codes)


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
