import datetime
from decimal import Decimal

import pytest
from django.test import override_settings

from employers.models import Employer, Unit
from inspections.models import Patrol
from planning.models import PatrolInterval
from ratings.models import Level
from supervision.checks import (
    check_c_patrolled,
    check_complaints,
    check_new_employers,
    check_reviews,
    check_verified,
    measure_all,
)
from supervision.models import CheckCode
from supervision.months import Period
from tests.factories import EmployerFactory, PatrolFactory

from .factories import (
    ComplaintFactory,
    RatingFactory,
    employer_added_on,
    returned_review,
)

pytestmark = pytest.mark.django_db

OCTOBER = Period.of(datetime.date(2025, 10, 1), today=datetime.date(2026, 1, 15))


def unit_ids() -> list[int]:
    return list(Unit.objects.order_by("code").values_list("pk", flat=True))


def test_new_employers_needs_five_added_in_the_month(unit_lqz, unit_ylq):
    for day in (1, 5, 10, 20, 31):
        employer_added_on(datetime.date(2025, 10, day), unit=unit_lqz)
    few = [employer_added_on(datetime.date(2025, 10, 3), unit=unit_ylq) for _ in range(4)]
    # outside the month on both sides
    employer_added_on(datetime.date(2025, 9, 30), unit=unit_ylq)
    employer_added_on(datetime.date(2025, 11, 1), unit=unit_ylq)

    outcomes = check_new_employers(OCTOBER, unit_ids())

    assert len(outcomes) == 13
    assert outcomes[unit_lqz.pk].passed
    assert outcomes[unit_lqz.pk].figure == 5
    assert outcomes[unit_lqz.pk].subject_ids == []
    assert not outcomes[unit_ylq.pk].passed
    assert outcomes[unit_ylq.pk].figure == 4
    assert outcomes[unit_ylq.pk].threshold == 5
    assert outcomes[unit_ylq.pk].subject_ids == sorted(e.pk for e in few)


def test_new_employers_counts_local_midnight_in_the_month(unit_lqz):
    """00:30 on 1 November in Tianjin is 31 October in UTC: it belongs to November."""
    employer = EmployerFactory(unit=unit_lqz)
    Employer.objects.filter(pk=employer.pk).update(
        created_at=datetime.datetime(2025, 10, 31, 16, 30, tzinfo=datetime.UTC)
    )
    outcomes = check_new_employers(OCTOBER, unit_ids())
    assert outcomes[unit_lqz.pk].figure == 0


@override_settings(COVERAGE_MIN_NEW_EMPLOYERS=1)
def test_new_employers_threshold_is_a_setting(unit_lqz):
    employer_added_on(datetime.date(2025, 10, 2), unit=unit_lqz)
    assert check_new_employers(OCTOBER, unit_ids())[unit_lqz.pk].passed


@override_settings(COVERAGE_MIN_VERIFIED_PERCENT=90)
def test_verified_share_lists_the_stale_employers(unit_lqz, unit_ylq):
    added = datetime.date(2024, 1, 1)
    fresh = [
        employer_added_on(added, unit=unit_lqz, verified_on=datetime.date(2025, 3, 1))
        for _ in range(7)
    ]
    stale_old = employer_added_on(added, unit=unit_lqz, verified_on=datetime.date(2024, 10, 31))
    never = employer_added_on(added, unit=unit_lqz, verified_on=None)
    # verified exactly 12 months before the end of the month: just inside
    employer_added_on(added, unit=unit_lqz, verified_on=datetime.date(2024, 11, 1))
    # deregistered employers are not on the register
    employer_added_on(added, unit=unit_lqz, status=Employer.Status.DEREGISTERED)
    # added (and verified) after the month: on the register as it stands, and verified
    employer_added_on(
        datetime.date(2025, 11, 5), unit=unit_lqz, verified_on=datetime.date(2025, 11, 5)
    )
    for _ in range(3):
        employer_added_on(added, unit=unit_ylq, verified_on=datetime.date(2025, 9, 1))

    outcomes = check_verified(OCTOBER, unit_ids())

    lqz = outcomes[unit_lqz.pk]
    assert lqz.total == 11
    assert lqz.figure == Decimal("81.82")
    assert not lqz.passed
    assert lqz.subject_ids == sorted([stale_old.pk, never.pk])
    assert len(fresh) == 7
    ylq = outcomes[unit_ylq.pk]
    assert (ylq.figure, ylq.passed, ylq.subject_ids) == (Decimal(100), True, [])
    # a unit with nobody on the register has nothing unverified
    empty_unit = Unit.objects.get(code="120111106")
    assert outcomes[empty_unit.pk].passed
    assert outcomes[empty_unit.pk].total == 0


def _c_employer(unit, **kwargs):
    employer = EmployerFactory(unit=unit, **kwargs)
    RatingFactory(employer=employer, level=Level.C)
    return employer


def test_c_employers_must_be_patrolled_within_the_c_interval(unit_lqz, unit_ylq):
    on_time = _c_employer(unit_lqz)
    PatrolFactory(employer=on_time, patrolled_on=datetime.date(2025, 8, 15))
    late = _c_employer(unit_lqz)
    PatrolFactory(employer=late, patrolled_on=datetime.date(2025, 7, 30))
    # a patrol after the month does not make up for October
    PatrolFactory(employer=late, patrolled_on=datetime.date(2025, 11, 3))
    never = _c_employer(unit_lqz)
    # B employers and deregistered C employers are not counted
    b_employer = EmployerFactory(unit=unit_lqz)
    RatingFactory(employer=b_employer, level=Level.B)
    _c_employer(unit_lqz, status=Employer.Status.DEREGISTERED)
    fine = _c_employer(unit_ylq)
    PatrolFactory(employer=fine, patrolled_on=datetime.date(2025, 10, 31))

    outcomes = check_c_patrolled(OCTOBER, unit_ids())

    lqz = outcomes[unit_lqz.pk]
    assert (lqz.figure, lqz.total, lqz.passed) == (2, 3, False)
    assert lqz.subject_ids == sorted([late.pk, never.pk])
    assert outcomes[unit_ylq.pk].passed
    assert outcomes[unit_ylq.pk].total == 1


def test_c_interval_comes_from_the_patrol_intervals(unit_lqz):
    employer = _c_employer(unit_lqz)
    PatrolFactory(employer=employer, patrolled_on=datetime.date(2025, 6, 1))
    assert not check_c_patrolled(OCTOBER, unit_ids())[unit_lqz.pk].passed
    PatrolInterval.objects.filter(level=Level.C).update(months=6)
    assert check_c_patrolled(OCTOBER, unit_ids())[unit_lqz.pk].passed


def test_complaints_past_their_deadlines_at_month_end(unit_lqz, unit_ylq, employer_lqz):
    from complaints.models import Complaint

    not_decided = ComplaintFactory(
        employer=employer_lqz, acceptance_due_on=datetime.date(2025, 10, 20)
    )
    # decided in time
    ComplaintFactory(
        employer=employer_lqz,
        acceptance_due_on=datetime.date(2025, 10, 20),
        decided_on=datetime.date(2025, 10, 18),
        status=Complaint.Status.NOT_ACCEPTED,
        rejection_reason=Complaint.RejectionReason.TOO_OLD,
        rejection_note="超过两年",
    )
    # decided only in November: it was overdue at the end of October
    decided_late = ComplaintFactory(
        employer=employer_lqz,
        acceptance_due_on=datetime.date(2025, 10, 20),
        decided_on=datetime.date(2025, 11, 4),
    )
    # waiting for the complainant's materials stops the clock
    ComplaintFactory(
        employer=employer_lqz,
        acceptance_due_on=datetime.date(2025, 10, 20),
        status=Complaint.Status.SUPPLEMENT,
    )
    # deadline still ahead at month end
    ComplaintFactory(employer=employer_lqz, acceptance_due_on=datetime.date(2025, 11, 3))
    # investigation running past its deadline
    investigation_late = ComplaintFactory(
        employer=employer_lqz,
        received_on=datetime.date(2025, 6, 1),
        acceptance_due_on=datetime.date(2025, 6, 6),
        decided_on=datetime.date(2025, 6, 5),
        investigation_due_on=datetime.date(2025, 9, 1),
    )
    # unregistered employer in Yangliuqing: counted by the complaint's unit
    unregistered = ComplaintFactory(
        employer=None,
        unregistered_name="某无名作坊",
        unit=unit_ylq,
        acceptance_due_on=datetime.date(2025, 10, 9),
    )

    outcomes = check_complaints(OCTOBER, unit_ids())

    lqz = outcomes[unit_lqz.pk]
    assert not lqz.passed
    assert lqz.subject_ids == sorted([not_decided.pk, decided_late.pk, investigation_late.pk])
    assert lqz.figure == 3
    assert outcomes[unit_ylq.pk].subject_ids == [unregistered.pk]


def test_returned_reviews_not_resubmitted_by_their_deadline(unit_lqz, unit_ylq):
    employer = EmployerFactory(unit=unit_lqz)
    late = returned_review(
        employer, returned_on=datetime.date(2025, 9, 1), deadline=datetime.date(2025, 10, 15)
    )
    returned_review(
        EmployerFactory(unit=unit_lqz),
        returned_on=datetime.date(2025, 9, 1),
        deadline=datetime.date(2025, 10, 15),
        resubmitted_on=datetime.date(2025, 10, 10),
    )
    # resubmitted after the month: still overdue at the end of October
    resubmitted_after = returned_review(
        EmployerFactory(unit=unit_lqz),
        returned_on=datetime.date(2025, 9, 1),
        deadline=datetime.date(2025, 10, 15),
        resubmitted_on=datetime.date(2025, 11, 2),
    )
    # deadline after the month
    returned_review(
        EmployerFactory(unit=unit_ylq),
        returned_on=datetime.date(2025, 10, 20),
        deadline=datetime.date(2025, 11, 20),
    )

    outcomes = check_reviews(OCTOBER, unit_ids())

    assert outcomes[unit_lqz.pk].subject_ids == sorted([late.pk, resubmitted_after.pk])
    assert not outcomes[unit_lqz.pk].passed
    assert outcomes[unit_ylq.pk].passed


def test_the_current_month_is_judged_as_of_today(unit_lqz):
    """While a month runs, a deadline later in the month is not overdue yet."""
    employer = EmployerFactory(unit=unit_lqz)
    returned_review(
        employer, returned_on=datetime.date(2025, 10, 1), deadline=datetime.date(2025, 10, 20)
    )
    running = Period.of(datetime.date(2025, 10, 1), today=datetime.date(2025, 10, 12))
    assert running.as_of == datetime.date(2025, 10, 12)
    assert check_reviews(running, unit_ids())[unit_lqz.pk].passed
    assert not check_reviews(OCTOBER, unit_ids())[unit_lqz.pk].passed


def test_all_checks_take_the_same_queries_whatever_the_size(
    unit_lqz, unit_ylq, django_assert_max_num_queries
):
    def measure() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            by_unit = measure_all(OCTOBER, unit_ids())
        assert len(by_unit) == 13
        assert all(len(checks) == len(CheckCode) for checks in by_unit.values())
        return len(ctx.captured_queries)

    small = measure()
    for unit in Unit.objects.all():
        for _ in range(3):
            employer = employer_added_on(datetime.date(2025, 10, 2), unit=unit)
            RatingFactory(employer=employer, level=Level.C)
            Patrol.objects.create(employer=employer, patrolled_on=datetime.date(2025, 5, 1))
            returned_review(
                employer,
                returned_on=datetime.date(2025, 9, 1),
                deadline=datetime.date(2025, 10, 1),
            )
            ComplaintFactory(employer=employer)
    assert measure() == small
    with django_assert_max_num_queries(8):
        measure_all(OCTOBER, unit_ids())
