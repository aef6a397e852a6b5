import random

from django.utils import timezone

from inspections.demo import DEMO_CASE_SERIAL_FROM, seed_inspections
from inspections.models import Case, CaseNumberCounter, Patrol, WrittenReview
from inspections.services import CASE_NUMBER_PATTERN, case_number_format, case_open
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


def test_demo_cases_are_numbered_in_their_own_block(unit_lqz):
    """From 501 of each year, through the yearly counter: a bureau ledger's 001-500 imports
    beside them, and the cases opened afterwards continue after the block."""
    inspectors = [make_user(f"demo_n{n}", "inspector", ("120111002",)) for n in (1, 2)]
    EmployerFactory.create_batch(200, unit=unit_lqz)
    seed_inspections(random.Random(11))
    numbers = list(Case.objects.values_list("number", "opened_on"))
    assert numbers
    last: dict[int, int] = {}
    for number, opened_on in numbers:
        match = CASE_NUMBER_PATTERN.match(number)
        assert int(match["year"]) == opened_on.year
        serial = int(match["serial"])
        assert serial >= DEMO_CASE_SERIAL_FROM
        last[opened_on.year] = max(last.get(opened_on.year, 0), serial)
    for year, serial in last.items():
        assert CaseNumberCounter.objects.get(year=year).last_number == serial
    # this year's counter is in the block even before a case of this year is numbered
    today = timezone.localdate()
    assert CaseNumberCounter.objects.get(year=today.year).last_number >= DEMO_CASE_SERIAL_FROM - 1
    case = case_open(
        employer=EmployerFactory(unit=unit_lqz),
        source=Case.Source.PATROL,
        opened_on=today,
        inspectors=inspectors,
        created_by=inspectors[0],
    )
    expected = max(last.get(today.year, 0), DEMO_CASE_SERIAL_FROM - 1) + 1
    assert case.number == case_number_format(year=today.year, serial=expected)
