"""The statutory clocks of a complaint: acceptance and investigation deadlines in working days."""

import datetime

from core.workdays import add_workdays_estimated

from ..models import (
    ACCEPTANCE_WORKDAYS,
    INVESTIGATION_WORKDAYS,
    Complaint,
    DeadlineExtension,
)

# --- clocks --------------------------------------------------------------------------------


def investigation_base_due(opened_on: datetime.date) -> tuple[datetime.date, bool]:
    return add_workdays_estimated(opened_on, INVESTIGATION_WORKDAYS)


def _clocks_refresh(complaint: Complaint) -> None:
    """Recompute the deadlines from the dates on the complaint (not saved here).

    Acceptance: 5 working days from receipt, or from the day supplementary materials came in.
    Investigation: 60 working days from the day the case was opened, plus an approved
    extension counted on from that original deadline. ``due_on`` is the one that runs now."""
    start = complaint.supplemented_on or complaint.received_on
    acceptance_due, acceptance_estimated = add_workdays_estimated(start, ACCEPTANCE_WORKDAYS)
    complaint.acceptance_due_on = acceptance_due
    investigation_estimated = False
    if complaint.case_id and complaint.decided_on:
        opened_on = complaint.case.opened_on
        base, investigation_estimated = investigation_base_due(opened_on)
        extension = (
            DeadlineExtension.objects.filter(
                complaint=complaint, status=DeadlineExtension.Status.APPROVED
            )
            .only("workdays")
            .first()
            if complaint.pk
            else None
        )
        if extension is not None:
            base, extra_estimated = add_workdays_estimated(base, extension.workdays)
            investigation_estimated = investigation_estimated or extra_estimated
        complaint.investigation_due_on = base
    else:
        complaint.investigation_due_on = None

    status = complaint.status
    if status == Complaint.Status.RECEIVED:
        complaint.due_on, complaint.due_estimated = acceptance_due, acceptance_estimated
    elif status == Complaint.Status.ACCEPTED:
        complaint.due_on = complaint.investigation_due_on
        complaint.due_estimated = investigation_estimated
    else:
        # Waiting for the complainant's materials stops the acceptance clock; a decided or
        # closed complaint has no clock.
        complaint.due_on, complaint.due_estimated = None, False


# --- maintenance ---------------------------------------------------------------------------


def complaint_deadlines_refresh(*, only_estimated: bool = True) -> int:
    """Recompute the deadlines of open complaints, e.g. after a calendar package update has
    added a year; returns how many changed. Safe to run any time, any number of times."""
    queryset = Complaint.objects.open().select_related("case")
    if only_estimated:
        queryset = queryset.filter(due_estimated=True)
    changed = 0
    for complaint in queryset.iterator(chunk_size=500):
        before = (complaint.acceptance_due_on, complaint.investigation_due_on, complaint.due_on)
        before_estimated = complaint.due_estimated
        _clocks_refresh(complaint)
        after = (complaint.acceptance_due_on, complaint.investigation_due_on, complaint.due_on)
        if before != after or before_estimated != complaint.due_estimated:
            complaint.save(
                update_fields=[
                    "acceptance_due_on",
                    "investigation_due_on",
                    "due_on",
                    "due_estimated",
                    "updated_at",
                ]
            )
            changed += 1
    return changed
