"""Intake: registering, correcting, linking the employer, assigning inspectors."""

from collections.abc import Iterable, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.roles import Role, roles_of
from employers.models import Employer
from inspections.items import Item

from ..models import (
    Complaint,
    ComplaintItem,
)
from .common import (
    _check_assignees,
    _complaint_number_next,
    _require_status,
    _save,
    _set_history_user,
    today,
)

# --- intake --------------------------------------------------------------------------------


def complaint_register(
    *,
    complaint: Complaint,
    items: Sequence[str],
    inspectors: Iterable[AbstractBaseUser],
    user: AbstractBaseUser,
) -> Complaint:
    """Record a new complaint or report (fields set on an unsaved ``complaint``).

    A registered employer fixes the unit; an unregistered one is recorded by name in a unit the
    user covers and flagged for the registry. The recording inspector is always assigned.
    The number and the acceptance deadline are set here."""
    errors: dict[str, str] = {}
    roles = roles_of(user)
    if not roles & {Role.INSPECTOR, Role.ADMIN}:
        raise PermissionDenied(_("Only inspectors and administrators record complaints."))
    if complaint.employer_id:
        if not Employer.objects.editable_by(user).filter(pk=complaint.employer_id).exists():
            raise PermissionDenied(_("This employer is outside your units."))
        complaint.unit = complaint.employer.unit
        complaint.unregistered_name = ""
        complaint.unregistered_address = ""
        complaint.needs_registry = False
    else:
        complaint.unregistered_name = complaint.unregistered_name.strip()
        if not complaint.unregistered_name:
            errors["employer"] = _("Pick the employer from the registry or record its name.")
        complaint.needs_registry = True
        if complaint.unit_id is None:
            errors["unit"] = _("Choose the area unit of the unregistered employer.")
        elif Role.ADMIN not in roles and not user.units.filter(pk=complaint.unit_id).exists():
            errors["unit"] = _("You can record complaints only in your own units.")
    if complaint.anonymous:
        if complaint.kind != Complaint.Kind.REPORT:
            errors["anonymous"] = _(
                "A complaint needs the complainant's name; only a report can be anonymous."
            )
        complaint.complainant_name = ""
        complaint.complainant_id_number = ""
        complaint.complainant_phone = ""
        complaint.complainant_address = ""
    elif not complaint.complainant_name.strip():
        errors["complainant_name"] = _("Enter the complainant's name or mark the report anonymous.")
    unknown = [code for code in items if code not in Item.values]
    if unknown:
        errors["items"] = _("Unknown evaluation items: %(items)s") % {"items": unknown}
    elif not items:
        errors["items"] = _("Tick at least one item the complaint is about.")
    if complaint.received_on and complaint.received_on > today():
        errors["received_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)

    assignees = list(inspectors)
    if Role.INSPECTOR in roles and all(u.pk != user.pk for u in assignees):
        assignees.insert(0, user)
    if not assignees:
        raise ValidationError({"inspectors": _("Assign at least one inspector.")})
    _check_assignees(complaint.unit, assignees, "inspectors")

    complaint.status = Complaint.Status.RECEIVED
    complaint.created_by = user
    with transaction.atomic():
        complaint.number = _complaint_number_next(complaint.received_on.year)
        _save(complaint, user)
        complaint.inspectors.set(assignees)
        for code in dict.fromkeys(items):
            _item_add(complaint, code, user)
    return complaint


def _item_add(complaint: Complaint, code: str, user: AbstractBaseUser) -> None:
    line = ComplaintItem(complaint=complaint, item=code)
    _set_history_user(line, user)
    line.save()


def complaint_update(
    *, complaint: Complaint, items: Sequence[str], user: AbstractBaseUser
) -> Complaint:
    """Save corrections to an open complaint's intake data (fields set by a validated form) and
    its alleged items; the clocks follow a corrected receipt date."""
    _require_status(
        complaint,
        Complaint.Status.RECEIVED,
        Complaint.Status.SUPPLEMENT,
        Complaint.Status.ACCEPTED,
    )
    errors: dict[str, str] = {}
    if complaint.anonymous and complaint.kind != Complaint.Kind.REPORT:
        errors["anonymous"] = _(
            "A complaint needs the complainant's name; only a report can be anonymous."
        )
    if not complaint.anonymous and not complaint.complainant_name.strip():
        errors["complainant_name"] = _("Enter the complainant's name or mark the report anonymous.")
    if not items:
        errors["items"] = _("Tick at least one item the complaint is about.")
    if complaint.received_on > today():
        errors["received_on"] = _("The date cannot be in the future.")
    elif complaint.decided_on and complaint.received_on > complaint.decided_on:
        errors["received_on"] = _("The date cannot be after the acceptance decision.")
    if errors:
        raise ValidationError(errors)
    if complaint.anonymous:
        complaint.complainant_name = ""
        complaint.complainant_id_number = ""
        complaint.complainant_phone = ""
        complaint.complainant_address = ""
    with transaction.atomic():
        _save(complaint, user)
        wanted = set(items)
        for line in complaint.items.all():
            if line.item not in wanted:
                # The row's history keeps the correction (simple-history records deletions).
                _set_history_user(line, user)
                line.delete()
        present = set(complaint.items.values_list("item", flat=True))
        for code in Item.values:
            if code in wanted and code not in present:
                _item_add(complaint, code, user)
    return complaint


def complaint_link_employer(
    *, complaint: Complaint, employer: Employer, user: AbstractBaseUser
) -> Complaint:
    """The unregistered employer has been added to the registry: link the complaint to it."""
    if not Employer.objects.editable_by(user).filter(pk=employer.pk).exists():
        raise PermissionDenied(_("This employer is outside your units."))
    if complaint.employer_id:
        raise ValidationError(_("This complaint is already linked to a registered employer."))
    complaint.employer = employer
    complaint.unit = employer.unit
    complaint.needs_registry = False
    _save(complaint, user)
    return complaint


def complaint_assign(
    *, complaint: Complaint, inspectors: Iterable[AbstractBaseUser], user: AbstractBaseUser
) -> Complaint:
    """Change who handles the complaint (and so who may see the complainant's identity).
    Supervisors and admins only: an inspector must not be able to assign themselves."""
    if not roles_of(user) & {Role.SUPERVISOR, Role.ADMIN}:
        raise PermissionDenied(_("Only a supervisor or an administrator assigns inspectors."))
    assignees = list(inspectors)
    if not assignees:
        raise ValidationError({"inspectors": _("Assign at least one inspector.")})
    _check_assignees(complaint.unit, assignees, "inspectors")
    _set_history_user(complaint, user)
    complaint.inspectors.set(assignees)
    return complaint
