"""The demo's early warnings: open cases due in the next days, for the demo inspector's unit
and the rest of the district, topped up when their deadlines have been met or passed."""

import datetime
import random

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from employers.demo import demo_users
from employers.models import Unit
from inspections.demo import DEMO_CASE_SERIAL_FROM
from inspections.models import Case
from inspections.services import CASE_NUMBER_PATTERN
from ratings.demo import (
    EARLY_WARNINGS_DISTRICT,
    EARLY_WARNINGS_UNIT,
    INSPECTOR_UNIT,
    seed_early_warnings,
)
from ratings.selectors import EARLY_WARNING_DAYS, early_warning_cases, early_warning_cases_district
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def district() -> None:
    demo_users()
    for unit in Unit.objects.order_by("code"):
        EmployerFactory.create_batch(6, unit=unit)


def _user(username: str):
    return get_user_model().objects.get(username=username)


def test_seeds_cases_due_within_the_window_for_the_unit_and_the_district(district):
    line = seed_early_warnings(random.Random(3))
    today = timezone.localdate()
    assert line == (
        f"early warnings: {EARLY_WARNINGS_DISTRICT} cases added with deadlines in the next "
        f"{EARLY_WARNING_DAYS} days, {EARLY_WARNINGS_DISTRICT} due"
    )
    due = list(early_warning_cases_district(today=today))
    assert len(due) == EARLY_WARNINGS_DISTRICT
    in_unit = [case for case in due if case.employer.unit.code == INSPECTOR_UNIT]
    assert len(in_unit) == EARLY_WARNINGS_UNIT
    # the inspector of 李七庄 sees exactly those; the one of 杨柳青 none of them
    mine = early_warning_cases(user=_user("inspector"), today=today)
    assert {case.pk for case in mine} == {case.pk for case in in_unit}
    theirs = early_warning_cases(user=_user("inspector_ylq"), today=today)
    assert not {case.pk for case in theirs} & {case.pk for case in in_unit}
    for case in due:
        case.full_clean()
        assert case.inspectors.count() == 2
        assert not case.withdrawn and case.decided_on <= today
        assert today <= case.due_on < today + datetime.timedelta(days=EARLY_WARNING_DAYS)
        serial = int(CASE_NUMBER_PATTERN.match(case.number)["serial"])
        assert serial >= DEMO_CASE_SERIAL_FROM
    assert {bool(c.order_due_on) for c in due} == {True, False}  # orders and decisions due
    assert len({case.employer_id for case in due}) == len(due)


def test_a_second_run_adds_nothing_and_met_deadlines_are_topped_up(district):
    seed_early_warnings(random.Random(3))
    assert seed_early_warnings(random.Random(3)) == (
        f"early warnings: {EARLY_WARNINGS_DISTRICT} cases due within {EARLY_WARNING_DAYS} days"
    )
    assert Case.objects.count() == EARLY_WARNINGS_DISTRICT
    # A week on, the inspectors met every deadline: the window is empty, the next start
    # opens fresh cases in it.
    today = timezone.localdate()
    Case.objects.filter(order_issued=True).update(order_rectified_on=today)
    Case.objects.filter(decision_issued=True).update(decision_fulfilled_on=today)
    assert not early_warning_cases_district(today=today).exists()
    assert seed_early_warnings(random.Random(4)).startswith(
        f"early warnings: {EARLY_WARNINGS_DISTRICT} cases added"
    )
    assert early_warning_cases_district(today=today).count() == EARLY_WARNINGS_DISTRICT
    assert Case.objects.count() == 2 * EARLY_WARNINGS_DISTRICT


def test_without_two_inspectors_nothing_is_added(unit_lqz):
    EmployerFactory.create_batch(5, unit=unit_lqz)
    assert seed_early_warnings(random.Random(1)) == (
        "early warnings: fewer than two inspectors, none added"
    )
    assert not Case.objects.exists()
