import random

from inspections.demo import seed_inspections
from inspections.models import Case, Patrol, WrittenReview
from tests.conftest import make_user
from tests.factories import EmployerFactory


def test_seeder_makes_a_believable_mix_once(unit_lqz, unit_ylq):
    make_user("demo_i1", "inspector", ("120111002",))
    make_user("demo_i2", "inspector", ("120111002",))
    make_user("demo_sup", "supervisor")
    for index in range(300):
        EmployerFactory(unit=unit_lqz if index % 2 else unit_ylq, headcount=10 + index % 40)
    line = seed_inspections(random.Random(7))
    assert "patrols" in line
    assert Patrol.objects.count() > 50
    assert WrittenReview.objects.exists()
    cases = Case.objects.all()
    assert 5 <= cases.count() <= 15  # about 0.3 per 10 employers
    assert cases.sanctioned().exists()
    for case in cases:
        case.full_clean()  # every demo case satisfies the constraints
        assert case.inspectors.count() == 2
    # a second run adds nothing
    assert "already" in seed_inspections(random.Random(7))
    assert Case.objects.count() == cases.count()
