"""The investigation: extensions of its deadline, closing, answering the complainant."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.roles import Role, is_supervisor, roles_of

from ..models import (
    MAX_EXTENSION_WORKDAYS,
    Complaint,
    DeadlineExtension,
)
from .common import (
    _not_future,
    _require_status,
    _save,
    _set_history_user,
    today,
)

# --- investigation -------------------------------------------------------------------------


def extension_request(
    *,
    complaint: Complaint,
    workdays: int,
    reason: str,
    user: AbstractBaseUser,
    requested_on: datetime.date | None = None,
) -> DeadlineExtension:
    """An inspector asks once to extend the investigation by up to 30 working days."""
    if Role.INSPECTOR not in roles_of(user):
        raise PermissionDenied(_("Only an inspector may request an extension."))
    _require_status(complaint, Complaint.Status.ACCEPTED)
    errors = {}
    if not 1 <= workdays <= MAX_EXTENSION_WORKDAYS:
        errors["workdays"] = _("An extension is 1 to %(max)s working days.") % {
            "max": MAX_EXTENSION_WORKDAYS
        }
    if not reason.strip():
        errors["reason"] = _("Give the reason the investigation needs more time.")
    if errors:
        raise ValidationError(errors)
    existing = set(
        complaint.extensions.exclude(status=DeadlineExtension.Status.REFUSED).values_list(
            "status", flat=True
        )
    )
    if DeadlineExtension.Status.APPROVED in existing:
        raise ValidationError(_("The investigation period can be extended only once."))
    if DeadlineExtension.Status.PENDING in existing:
        raise ValidationError(_("An extension request is already awaiting approval."))
    extension = DeadlineExtension(
        complaint=complaint,
        workdays=workdays,
        reason=reason.strip(),
        requested_by=user,
        requested_on=requested_on or today(),
    )
    extension.full_clean()
    _set_history_user(extension, user)
    extension.save()
    return extension


def extension_decide(
    *,
    extension: DeadlineExtension,
    approve: bool,
    note: str,
    user: AbstractBaseUser,
    decided_on: datetime.date | None = None,
) -> DeadlineExtension:
    """A supervisor approves or refuses; approval moves the investigation deadline on by the
    working days requested, counted from the original 60-day deadline."""
    if not is_supervisor(user):
        raise PermissionDenied(_("Only a supervisor may approve an extension."))
    if extension.status != DeadlineExtension.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the extension is refused.")})
    with transaction.atomic():
        extension.status = (
            DeadlineExtension.Status.APPROVED if approve else DeadlineExtension.Status.REFUSED
        )
        extension.decided_by = user
        extension.decided_on = decided_on or today()
        extension.decision_note = note.strip()
        extension.full_clean()
        _set_history_user(extension, user)
        extension.save()
        complaint = extension.complaint
        if approve and complaint.status == Complaint.Status.ACCEPTED:
            _save(complaint, user)
    return extension


def complaint_close(
    *,
    complaint: Complaint,
    outcome: str,
    note: str,
    answered_on: datetime.date | None,
    closed_on: datetime.date,
    user: AbstractBaseUser,
) -> Complaint:
    """办结: record the outcome; the measures themselves live on the enforcement case."""
    _require_status(complaint, Complaint.Status.ACCEPTED)
    errors = {}
    if outcome not in Complaint.Outcome.values:
        errors["outcome"] = _("Choose the outcome.")
    if closed_on < complaint.decided_on:
        errors["closed_on"] = _("A complaint cannot close before it was accepted.")
    if answered_on is not None and answered_on < complaint.decided_on:
        errors["answered_on"] = _("The complainant cannot be answered before acceptance.")
    if errors:
        raise ValidationError(errors)
    _not_future(closed_on, "closed_on")
    _not_future(answered_on, "answered_on")
    _save(
        complaint,
        user,
        status=Complaint.Status.CLOSED,
        outcome=outcome,
        outcome_note=note.strip(),
        answered_on=answered_on,
        closed_on=closed_on,
    )
    # A pending extension no longer matters once the complaint is closed.
    for pending in complaint.extensions.filter(status=DeadlineExtension.Status.PENDING):
        pending.status = DeadlineExtension.Status.REFUSED
        pending.decided_on = closed_on
        pending.decision_note = _("Complaint closed before a decision.")
        _set_history_user(pending, user)
        pending.save()
    return complaint


def complaint_record_answer(
    *, complaint: Complaint, answered_on: datetime.date, user: AbstractBaseUser
) -> Complaint:
    """Record the day the complainant was answered, after the decision or closing."""
    _require_status(complaint, *Complaint.CLOSED_STATUSES)
    _not_future(answered_on, "answered_on")
    if answered_on < complaint.decided_on:
        raise ValidationError(
            {"answered_on": _("The complainant cannot be answered before the decision.")}
        )
    return _save(complaint, user, answered_on=answered_on)
