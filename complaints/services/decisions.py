"""The acceptance decision: asking for materials, rejecting, accepting (opens the case)."""

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inspections.models import Case
from inspections.services import case_open

from ..models import (
    Complaint,
)
from .common import (
    _check_assignees,
    _not_future,
    _require_status,
    _save,
)

# --- acceptance decision -------------------------------------------------------------------


def complaint_request_supplement(
    *, complaint: Complaint, requested_on: datetime.date, note: str, user: AbstractBaseUser
) -> Complaint:
    """Ask the complainant to supplement materials; the acceptance clock stops until they come."""
    _require_status(complaint, Complaint.Status.RECEIVED)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say which materials the complainant must supplement.")})
    _not_future(requested_on, "requested_on")
    if requested_on < complaint.received_on:
        raise ValidationError(
            {"requested_on": _("The date cannot be before the complaint was received.")}
        )
    return _save(
        complaint,
        user,
        status=Complaint.Status.SUPPLEMENT,
        supplement_requested_on=requested_on,
        supplement_note=note,
    )


def complaint_supplemented(
    *, complaint: Complaint, supplemented_on: datetime.date, user: AbstractBaseUser
) -> Complaint:
    """The materials came in: the 5 working days run again from that day."""
    _require_status(complaint, Complaint.Status.SUPPLEMENT)
    _not_future(supplemented_on, "supplemented_on")
    if supplemented_on < complaint.supplement_requested_on:
        raise ValidationError(
            {"supplemented_on": _("The materials cannot arrive before they were requested.")}
        )
    return _save(complaint, user, status=Complaint.Status.RECEIVED, supplemented_on=supplemented_on)


def complaint_reject(
    *,
    complaint: Complaint,
    decided_on: datetime.date,
    reason: str,
    note: str,
    answered_on: datetime.date | None,
    user: AbstractBaseUser,
) -> Complaint:
    """不予受理: a reason from the list and a written explanation are both required."""
    _require_status(complaint, Complaint.Status.RECEIVED, Complaint.Status.SUPPLEMENT)
    errors = {}
    if reason not in Complaint.RejectionReason.values:
        errors["reason"] = _("Choose why the complaint is not accepted.")
    if not note.strip():
        errors["note"] = _("Write the reason the complainant will be given.")
    if decided_on < complaint.received_on:
        errors["decided_on"] = _("The date cannot be before the complaint was received.")
    if answered_on is not None and answered_on < decided_on:
        errors["answered_on"] = _("The complainant cannot be answered before the decision.")
    if errors:
        raise ValidationError(errors)
    _not_future(decided_on, "decided_on")
    _not_future(answered_on, "answered_on")
    return _save(
        complaint,
        user,
        status=Complaint.Status.NOT_ACCEPTED,
        decided_on=decided_on,
        rejection_reason=reason,
        rejection_note=note.strip(),
        answered_on=answered_on,
    )


def complaint_accept(
    *,
    complaint: Complaint,
    accepted_on: datetime.date,
    inspectors: Iterable[AbstractBaseUser],
    user: AbstractBaseUser,
) -> Complaint:
    """受理: opens an enforcement case (source "complaint") on the same day and links it.

    The case carries the alleged items and the allegations with the complainant's identity
    masked: the case page is read by every inspector of the unit, the complaint is not.
    The handling inspectors (two or more, 条例 Art. 16) become the complaint's assignees too."""
    _require_status(complaint, Complaint.Status.RECEIVED)
    if complaint.employer_id is None:
        raise ValidationError(
            {
                "employer": _(
                    "%(name)s is not in the employer registry yet. Add it to the registry and "
                    "link it to this complaint before accepting: a case needs a registered "
                    "employer."
                )
                % {"name": complaint.unregistered_name}
            }
        )
    if accepted_on < complaint.received_on:
        raise ValidationError(
            {"accepted_on": _("The date cannot be before the complaint was received.")}
        )
    _not_future(accepted_on, "accepted_on")
    handlers = list(inspectors)
    _check_assignees(complaint.unit, handlers, "inspectors")
    items = list(complaint.items.values_list("item", flat=True))
    with transaction.atomic():
        case = case_open(
            employer=complaint.employer,
            source=Case.Source.COMPLAINT,
            opened_on=accepted_on,
            inspectors=handlers,
            created_by=user,
            violation_items=items,
            facts=_("Opened on accepting complaint %(number)s.\n%(text)s")
            % {"number": complaint.number, "text": complaint.description_for(masked=True)},
        )
        _save(complaint, user, case=case, status=Complaint.Status.ACCEPTED, decided_on=accepted_on)
        complaint.inspectors.add(*handlers)
    return complaint
