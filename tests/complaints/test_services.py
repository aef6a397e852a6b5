"""The complaint's life through the services: numbers, clocks, decisions, the case, closing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from complaints import services
from complaints.models import Complaint, DeadlineExtension
from inspections.models import Case

from .factories import accept, register

D = datetime.date
pytestmark = pytest.mark.django_db


def test_register_numbers_per_year_assigns_recorder_and_sets_acceptance_clock(
    inspector_lqz, employer_lqz
):
    first = register(user=inspector_lqz, employer=employer_lqz)
    second = register(user=inspector_lqz, employer=employer_lqz)
    assert first.number == "西青人社投〔2026〕0001号"
    assert second.number == "西青人社投〔2026〕0002号"
    assert list(first.inspectors.all()) == [inspector_lqz]
    assert first.unit == employer_lqz.unit
    assert first.status == Complaint.Status.RECEIVED
    # Received Tue 10 Feb 2026: 11, 12, 13, Sat 14 (调休), then Tue 24 after the festival.
    assert first.acceptance_due_on == D(2026, 2, 24)
    assert first.due_on == D(2026, 2, 24) and not first.due_estimated
    assert sorted(first.items.values_list("item", flat=True)) == ["wages"]
    assert first.history.count() == 1
    assert first.history.first().history_user == inspector_lqz


def test_register_outside_own_units_is_refused(inspector_ylq, employer_lqz):
    with pytest.raises(PermissionDenied):
        register(user=inspector_ylq, employer=employer_lqz)


def test_supervisor_does_not_record(supervisor, employer_lqz):
    with pytest.raises(PermissionDenied):
        register(user=supervisor, employer=employer_lqz)


def test_admin_records_and_must_assign_an_inspector_of_the_unit(
    admin_user, inspector_lqz, inspector_ylq, employer_lqz
):
    with pytest.raises(ValidationError) as error:
        register(user=admin_user, employer=employer_lqz)
    assert "inspectors" in error.value.error_dict
    with pytest.raises(ValidationError):
        register(user=admin_user, employer=employer_lqz, inspectors=[inspector_ylq])
    complaint = register(user=admin_user, employer=employer_lqz, inspectors=[inspector_lqz])
    assert list(complaint.inspectors.all()) == [inspector_lqz]


def test_only_a_report_may_be_anonymous_and_its_identity_is_dropped(inspector_lqz, employer_lqz):
    with pytest.raises(ValidationError) as error:
        register(user=inspector_lqz, employer=employer_lqz, anonymous=True)
    assert "anonymous" in error.value.error_dict
    report = register(
        user=inspector_lqz, employer=employer_lqz, anonymous=True, kind=Complaint.Kind.REPORT
    )
    assert report.complainant_name == "" and report.complainant_phone == ""


def test_unregistered_employer_is_flagged_and_kept_in_the_users_unit(
    inspector_lqz, unit_lqz, unit_ylq
):
    complaint = register(
        user=inspector_lqz, employer=None, unregistered_name="西青区某装修队", unit=unit_lqz
    )
    assert complaint.needs_registry and complaint.employer is None
    with pytest.raises(ValidationError) as error:
        register(user=inspector_lqz, employer=None, unregistered_name="别处的店", unit=unit_ylq)
    assert "unit" in error.value.error_dict


def test_unregistered_employer_cannot_be_accepted_until_linked(
    inspector_lqz, inspector_lqz2, unit_lqz, employer_lqz
):
    complaint = register(
        user=inspector_lqz, employer=None, unregistered_name="西青区某装修队", unit=unit_lqz
    )
    with pytest.raises(ValidationError) as error:
        accept(complaint, user=inspector_lqz, inspectors=[inspector_lqz, inspector_lqz2])
    assert "registry" in str(error.value) or "名录" in str(error.value)
    services.complaint_link_employer(complaint=complaint, employer=employer_lqz, user=inspector_lqz)
    complaint.refresh_from_db()
    assert complaint.employer == employer_lqz and not complaint.needs_registry
    accept(complaint, user=inspector_lqz, inspectors=[inspector_lqz, inspector_lqz2])
    assert complaint.case.employer == employer_lqz


def test_accept_opens_a_linked_case_on_that_day_with_masked_facts(
    complaint_lqz, inspector_lqz, inspector_lqz2
):
    accept(
        complaint_lqz,
        user=inspector_lqz,
        inspectors=[inspector_lqz, inspector_lqz2],
        accepted_on=D(2026, 2, 11),
    )
    complaint_lqz.refresh_from_db()
    case = complaint_lqz.case
    assert complaint_lqz.status == Complaint.Status.ACCEPTED
    assert case.source == Case.Source.COMPLAINT
    assert case.opened_on == D(2026, 2, 11) == complaint_lqz.decided_on
    assert case.number.startswith("西青人社监〔2026〕")
    assert case.violation_items == ["wages"]
    assert set(case.inspectors.all()) == {inspector_lqz, inspector_lqz2}
    # The case page is read by every inspector of the unit: no identity in its facts.
    assert complaint_lqz.number in case.facts
    assert "张三明" not in case.facts and "13812341234" not in case.facts
    # Investigation: 60 working days after the case opened (the package's own count).
    assert complaint_lqz.investigation_due_on == D(2026, 5, 15)
    assert complaint_lqz.due_on == D(2026, 5, 15)
    # The handling colleague is assigned now.
    assert set(complaint_lqz.inspectors.all()) == {inspector_lqz, inspector_lqz2}


def test_accept_needs_two_inspectors_of_the_unit(complaint_lqz, inspector_lqz, inspector_ylq):
    with pytest.raises(ValidationError):
        accept(complaint_lqz, user=inspector_lqz, inspectors=[inspector_lqz])
    with pytest.raises(ValidationError):
        accept(complaint_lqz, user=inspector_lqz, inspectors=[inspector_lqz, inspector_ylq])
    complaint_lqz.refresh_from_db()
    assert complaint_lqz.status == Complaint.Status.RECEIVED
    assert not Case.objects.exists()


def test_supplement_pauses_and_restarts_the_acceptance_clock(complaint_lqz, inspector_lqz):
    services.complaint_request_supplement(
        complaint=complaint_lqz, requested_on=D(2026, 2, 12), note="工资条", user=inspector_lqz
    )
    assert complaint_lqz.status == Complaint.Status.SUPPLEMENT and complaint_lqz.due_on is None
    assert complaint_lqz.clock(D(2026, 3, 30)) is None
    # Materials in on Fri 27 Feb: Sat 28 (调休), Mon 2, Tue 3, Wed 4, Thu 5 March.
    services.complaint_supplemented(
        complaint=complaint_lqz, supplemented_on=D(2026, 2, 27), user=inspector_lqz
    )
    assert complaint_lqz.status == Complaint.Status.RECEIVED
    assert complaint_lqz.due_on == D(2026, 3, 5)


def test_supplement_needs_a_note(complaint_lqz, inspector_lqz):
    with pytest.raises(ValidationError):
        services.complaint_request_supplement(
            complaint=complaint_lqz, requested_on=D(2026, 2, 12), note=" ", user=inspector_lqz
        )


def test_not_accepted_needs_reason_and_written_explanation(complaint_lqz, inspector_lqz):
    with pytest.raises(ValidationError) as error:
        services.complaint_reject(
            complaint=complaint_lqz,
            decided_on=D(2026, 2, 12),
            reason="",
            note="",
            answered_on=None,
            user=inspector_lqz,
        )
    assert {"reason", "note"} <= set(error.value.error_dict)
    services.complaint_reject(
        complaint=complaint_lqz,
        decided_on=D(2026, 2, 12),
        reason=Complaint.RejectionReason.TOO_OLD,
        note="违法行为发生于三年前，超过两年未被发现。",
        answered_on=D(2026, 2, 13),
        user=inspector_lqz,
    )
    complaint_lqz.refresh_from_db()
    assert complaint_lqz.status == Complaint.Status.NOT_ACCEPTED
    assert complaint_lqz.due_on is None
    assert not Case.objects.exists()


def test_decisions_cannot_be_dated_in_the_future(complaint_lqz, inspector_lqz, inspector_lqz2):
    tomorrow = services.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        accept(
            complaint_lqz,
            user=inspector_lqz,
            inspectors=[inspector_lqz, inspector_lqz2],
            accepted_on=tomorrow,
        )


def test_extension_requested_by_inspector_and_approved_once_by_supervisor(
    accepted_lqz, inspector_lqz, supervisor
):
    with pytest.raises(PermissionDenied):
        services.extension_request(complaint=accepted_lqz, workdays=30, reason="x", user=supervisor)
    with pytest.raises(ValidationError):
        services.extension_request(
            complaint=accepted_lqz, workdays=31, reason="取证", user=inspector_lqz
        )
    extension = services.extension_request(
        complaint=accepted_lqz, workdays=30, reason="需调取银行流水", user=inspector_lqz
    )
    with pytest.raises(ValidationError):
        services.extension_request(
            complaint=accepted_lqz, workdays=10, reason="again", user=inspector_lqz
        )
    with pytest.raises(PermissionDenied):
        services.extension_decide(extension=extension, approve=True, note="", user=inspector_lqz)
    services.extension_decide(extension=extension, approve=True, note="同意", user=supervisor)
    accepted_lqz.refresh_from_db()
    # 60 working days from Wed 11 Feb end on Fri 15 May; 30 more end on Mon 29 June
    # (Dragon Boat Festival 19 June in between).
    assert accepted_lqz.investigation_due_on == D(2026, 6, 29)
    assert accepted_lqz.due_on == D(2026, 6, 29)
    with pytest.raises(ValidationError):
        services.extension_request(
            complaint=accepted_lqz, workdays=5, reason="once more", user=inspector_lqz
        )


def test_refused_extension_changes_nothing_and_needs_a_reason(
    accepted_lqz, inspector_lqz, supervisor
):
    extension = services.extension_request(
        complaint=accepted_lqz, workdays=20, reason="取证", user=inspector_lqz
    )
    with pytest.raises(ValidationError):
        services.extension_decide(extension=extension, approve=False, note="", user=supervisor)
    services.extension_decide(
        extension=extension, approve=False, note="证据已足够", user=supervisor
    )
    accepted_lqz.refresh_from_db()
    assert accepted_lqz.due_on == D(2026, 5, 15)
    assert extension.status == DeadlineExtension.Status.REFUSED
    # A refused request does not use up the one extension.
    services.extension_request(
        complaint=accepted_lqz, workdays=20, reason="新证据", user=inspector_lqz
    )


def test_close_records_outcome_and_stops_the_clock(accepted_lqz, inspector_lqz):
    with pytest.raises(ValidationError) as error:
        services.complaint_close(
            complaint=accepted_lqz,
            outcome="",
            note="",
            answered_on=None,
            closed_on=D(2026, 3, 20),
            user=inspector_lqz,
        )
    assert "outcome" in error.value.error_dict
    services.complaint_close(
        complaint=accepted_lqz,
        outcome=Complaint.Outcome.VIOLATION,
        note="已责令限期支付",
        answered_on=D(2026, 3, 21),
        closed_on=D(2026, 3, 20),
        user=inspector_lqz,
    )
    accepted_lqz.refresh_from_db()
    assert accepted_lqz.status == Complaint.Status.CLOSED
    assert accepted_lqz.due_on is None and accepted_lqz.clock(D(2026, 3, 22)) is None
    assert accepted_lqz.answered_on == D(2026, 3, 21)


def test_steps_out_of_order_are_refused(complaint_lqz, inspector_lqz):
    with pytest.raises(ValidationError):
        services.complaint_close(
            complaint=complaint_lqz,
            outcome=Complaint.Outcome.UNFOUNDED,
            note="",
            answered_on=None,
            closed_on=D(2026, 3, 1),
            user=inspector_lqz,
        )
    with pytest.raises(ValidationError):
        services.complaint_supplemented(
            complaint=complaint_lqz, supplemented_on=D(2026, 2, 12), user=inspector_lqz
        )


def test_assignment_is_for_supervisors_and_admins(
    complaint_lqz, inspector_lqz, inspector_lqz2, inspector_ylq, supervisor
):
    with pytest.raises(PermissionDenied):
        services.complaint_assign(
            complaint=complaint_lqz, inspectors=[inspector_lqz2], user=inspector_lqz2
        )
    with pytest.raises(ValidationError):
        services.complaint_assign(
            complaint=complaint_lqz, inspectors=[inspector_ylq], user=supervisor
        )
    services.complaint_assign(complaint=complaint_lqz, inspectors=[inspector_lqz2], user=supervisor)
    assert list(complaint_lqz.inspectors.all()) == [inspector_lqz2]


def test_clock_counts_working_days_left_and_overdue(complaint_lqz):
    # Due Tue 24 Feb. On Fri 13 Feb: Sat 14 (调休) and Tue 24 are left -> 2 days.
    clock = complaint_lqz.clock(D(2026, 2, 13))
    assert clock.days_left == 2 and clock.due_soon and not clock.overdue
    clock = complaint_lqz.clock(D(2026, 2, 10))
    assert clock.days_left == 5 and not clock.due_soon
    clock = complaint_lqz.clock(D(2026, 2, 26))
    assert clock.overdue and clock.days_overdue == 2


def test_deadline_past_the_calendar_is_estimated_then_refreshed(
    complaint_lqz, inspector_lqz, inspector_lqz2, monkeypatch
):
    from core import workdays
    from core.models import OfficialDay

    # Pretend the package stops at 2025 and 2026 was never entered in the calendar table: the
    # acceptance deadline in 2026 is then estimated.
    monkeypatch.setattr(workdays, "LAST_KNOWN_YEAR", 2025)
    OfficialDay.objects.filter(year=2026).delete()
    complaint = register(user=inspector_lqz, employer=complaint_lqz.employer)
    assert complaint.due_estimated
    # Weekdays less the statutory 春节 days (除夕 16 to 初三 19 February): 11, 12, 13, 20, 23.
    assert complaint.due_on == D(2026, 2, 23)
    monkeypatch.setattr(workdays, "LAST_KNOWN_YEAR", 2026)
    assert services.complaint_deadlines_refresh() == 1
    complaint.refresh_from_db()
    assert complaint.due_on == D(2026, 2, 24) and not complaint.due_estimated
