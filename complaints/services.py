"""Writes of the complaints app: intake, the acceptance decision, the investigation clock and
its extension, closing, and the log of who saw a complainant's identity.

Every status change goes through here so the statutory deadlines (``due_on``) are always
recomputed the same way (``_clocks_refresh``). Views and commands call these; they hold the rules.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import Role, is_supervisor, roles_of
from core.workdays import add_workdays_estimated
from employers.models import Employer, Unit
from inspections.items import Item
from inspections.models import Case
from inspections.services import case_open

from .models import (
    ACCEPTANCE_WORKDAYS,
    INVESTIGATION_WORKDAYS,
    MAX_EXTENSION_WORKDAYS,
    Complaint,
    ComplaintItem,
    ComplaintNumberCounter,
    DeadlineExtension,
    IdentityAccess,
)

COMPLAINT_NUMBER_FORMAT = "西青人社投〔{year}〕{serial:04d}号"


def today() -> datetime.date:
    return timezone.localdate()


def _set_history_user(instance: object, user: AbstractBaseUser | None) -> None:
    # simple-history reads the user from the request; services also run from commands and
    # the demo seeder, so name the user explicitly.
    if user is not None:
        instance._history_user = user


def _complaint_number_next(year: int) -> str:
    """Next free number of the year; call inside a transaction (the counter row is locked)."""
    return ComplaintNumberCounter.number_next(
        year=year,
        format_number=lambda serial: COMPLAINT_NUMBER_FORMAT.format(year=year, serial=serial),
        is_taken=lambda number: Complaint.objects.filter(number=number).exists(),
    )


def inspectors_of_unit(unit: Unit) -> "list[AbstractBaseUser]":
    return list(
        get_user_model()
        .objects.filter(units=unit, groups__name=Role.INSPECTOR, is_active=True)
        .distinct()
        .order_by("username")
    )


def _check_assignees(unit: Unit, inspectors: Sequence[AbstractBaseUser], field: str) -> None:
    allowed = {u.pk for u in inspectors_of_unit(unit)}
    strangers = [u for u in inspectors if u.pk not in allowed]
    if strangers:
        raise ValidationError(
            {
                field: _("%(names)s is not an inspector of %(unit)s.")
                % {
                    "names": "、".join(u.get_full_name() or u.get_username() for u in strangers),
                    "unit": unit.name,
                }
            }
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


def _save(complaint: Complaint, user: AbstractBaseUser | None) -> None:
    _clocks_refresh(complaint)
    complaint.full_clean()
    _set_history_user(complaint, user)
    complaint.save()


def _require_status(complaint: Complaint, *allowed: str) -> None:
    if complaint.status not in allowed:
        raise ValidationError(
            _("Complaint %(number)s is %(status)s; this step is not possible now.")
            % {"number": complaint.number, "status": complaint.get_status_display()}
        )


def _not_future(value: datetime.date | None, field: str) -> None:
    if value is not None and value > today():
        raise ValidationError({field: _("The date cannot be in the future.")})


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
            line = ComplaintItem(complaint=complaint, item=code)
            _set_history_user(line, user)
            line.save()
    return complaint


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
                line = ComplaintItem(complaint=complaint, item=code)
                _set_history_user(line, user)
                line.save()
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
    complaint.status = Complaint.Status.SUPPLEMENT
    complaint.supplement_requested_on = requested_on
    complaint.supplement_note = note
    _save(complaint, user)
    return complaint


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
    complaint.status = Complaint.Status.RECEIVED
    complaint.supplemented_on = supplemented_on
    _save(complaint, user)
    return complaint


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
    complaint.status = Complaint.Status.NOT_ACCEPTED
    complaint.decided_on = decided_on
    complaint.rejection_reason = reason
    complaint.rejection_note = note.strip()
    complaint.answered_on = answered_on
    _save(complaint, user)
    return complaint


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
        complaint.case = case
        complaint.status = Complaint.Status.ACCEPTED
        complaint.decided_on = accepted_on
        _save(complaint, user)
        complaint.inspectors.add(*handlers)
    return complaint


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
    complaint.status = Complaint.Status.CLOSED
    complaint.outcome = outcome
    complaint.outcome_note = note.strip()
    complaint.answered_on = answered_on
    complaint.closed_on = closed_on
    _save(complaint, user)
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
    complaint.answered_on = answered_on
    _save(complaint, user)
    return complaint


# --- confidentiality -----------------------------------------------------------------------


def identity_access_log(
    *, complaints: Iterable[Complaint], user: AbstractBaseUser, via: str
) -> int:
    """Record that ``user`` was shown the unmasked identity on each complaint; returns rows."""
    rows = [IdentityAccess(complaint=c, user=user, via=via) for c in complaints if not c.anonymous]
    IdentityAccess.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


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
