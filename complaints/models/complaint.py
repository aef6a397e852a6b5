"""The complaint or report (投诉举报) itself: who, against whom, its status and its clocks."""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.fields import optional_fk
from core.models import RecordedUpdated
from core.roles import Role, roles_of
from core.scoping import UnitScopedQuerySet
from core.workdays import workdays_between_estimated
from employers.models import Employer, Unit, employer_fk
from inspections.models import Case

from .. import masking

if TYPE_CHECKING:
    from .records import DeadlineExtension

# Statutory periods in working days (劳动保障监察条例 Art. 17 and the implementing rules).
ACCEPTANCE_WORKDAYS = 5
INVESTIGATION_WORKDAYS = 60
MAX_EXTENSION_WORKDAYS = 30
# "Due soon" in lists and filters: the deadline is at most this many working days away.
DUE_SOON_WORKDAYS = 3


class ComplaintQuerySet(UnitScopedQuerySet):
    """Supervisors and admins see every complaint; supervisors read and approve extensions
    but do not edit."""

    def inspector_scope(self, user: AbstractBaseUser) -> Q:
        """Complaints against employers of the inspector's units, and for unregistered
        employers those recorded in their units. Subqueries, not joins, so rows never repeat."""
        return Q(employer__in=Employer.objects.visible_to(user)) | Q(
            employer__isnull=True, unit__in=Unit.objects.filter(inspectors=user)
        )

    def open(self) -> "ComplaintQuerySet":
        return self.exclude(status__in=Complaint.CLOSED_STATUSES)

    def overdue(self, today: datetime.date) -> "ComplaintQuerySet":
        return self.open().filter(due_on__lt=today)

    def due_by(self, today: datetime.date, last_day: datetime.date) -> "ComplaintQuerySet":
        """Open complaints whose next deadline falls between today and last_day."""
        return self.open().filter(due_on__gte=today, due_on__lte=last_day)


class Complaint(RecordedUpdated):
    """投诉 / 举报: a complaint or report about an employer, from intake to closing.

    The complainant's identity (name, ID number, phone, address) is confidential (条例 Art. 9):
    read it through ``identity_for(user)``, never from the fields directly in a view."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", pgettext_lazy("complaint", "Complaint")
        REPORT = "report", pgettext_lazy("complaint", "Report")

    class Channel(models.TextChoices):
        VISIT = "visit", pgettext_lazy("complaint", "Visit in person")
        PHONE = "phone", pgettext_lazy("complaint", "Phone / 12333")
        LETTER = "letter", pgettext_lazy("complaint", "Letter")
        ONLINE = "online", pgettext_lazy("complaint", "Online")
        TRANSFERRED = "transferred", pgettext_lazy("complaint", "Transferred")
        HOTLINE_12345 = "hotline_12345", pgettext_lazy("complaint", "12345 hotline")

    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("complaint", "Awaiting acceptance decision")
        SUPPLEMENT = "supplement", pgettext_lazy("complaint", "Awaiting supplementary materials")
        NOT_ACCEPTED = "not_accepted", pgettext_lazy("complaint", "Not accepted")
        ACCEPTED = "accepted", pgettext_lazy("complaint", "Accepted, under investigation")
        CLOSED = "closed", pgettext_lazy("complaint", "Closed")

    class RejectionReason(models.TextChoices):
        TOO_OLD = "too_old", pgettext_lazy("complaint", "Older than two years")
        OUTSIDE_POWERS = "outside_powers", pgettext_lazy("complaint", "Outside the bureau's powers")
        OUTSIDE_JURISDICTION = (
            "outside_jurisdiction",
            pgettext_lazy("complaint", "Outside the district's jurisdiction"),
        )

    class Outcome(models.TextChoices):
        UNFOUNDED = "unfounded", pgettext_lazy("complaint", "Unfounded")
        MEDIATED = "mediated", pgettext_lazy("complaint", "Resolved by mediation")
        VIOLATION = "violation", pgettext_lazy("complaint", "Violation confirmed")
        TO_ARBITRATION = (
            "to_arbitration",
            pgettext_lazy("complaint", "Transferred to labour arbitration"),
        )
        TO_DEPARTMENT = (
            "to_department",
            pgettext_lazy("complaint", "Transferred to another department"),
        )
        TO_JUDICIAL = "to_judicial", pgettext_lazy("complaint", "Transferred to judicial organs")

    CLOSED_STATUSES = (Status.NOT_ACCEPTED, Status.CLOSED)

    number = models.CharField(_("complaint number"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMPLAINT)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    received_on = models.DateField(_("received on"))

    anonymous = models.BooleanField(_("anonymous reporter"), default=False)
    complainant_name = models.CharField(_("complainant name"), max_length=100, blank=True)
    complainant_id_number = models.CharField(_("complainant ID number"), max_length=30, blank=True)
    complainant_phone = models.CharField(_("complainant phone"), max_length=40, blank=True)
    complainant_address = models.CharField(_("complainant address"), max_length=300, blank=True)

    employer = employer_fk("complaints", null=True, blank=True)
    # An employer not (yet) in the registry is recorded by name and flagged for the registry.
    unregistered_name = models.CharField(
        _("unregistered employer name"), max_length=200, blank=True
    )
    unregistered_address = models.CharField(
        _("unregistered employer address"), max_length=300, blank=True
    )
    needs_registry = models.BooleanField(
        _("flagged for the registry"),
        default=False,
        help_text=_("The employer is not in the registry yet and should be added to it."),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("area unit"),
        help_text=_("The employer's unit when the complaint was received."),
    )

    workers_involved = models.PositiveIntegerField(_("workers involved"), null=True, blank=True)
    amount_involved = models.DecimalField(
        _("amount involved (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    description = models.TextField(_("what the complainant alleges"), blank=True)

    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="assigned_complaints",
        blank=True,
        verbose_name=_("assigned inspectors"),
    )
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.RECEIVED
    )

    # acceptance
    acceptance_due_on = models.DateField(_("acceptance decision due"), null=True, blank=True)
    supplement_requested_on = models.DateField(_("supplement requested on"), null=True, blank=True)
    supplement_note = models.TextField(_("materials to supplement"), blank=True)
    supplemented_on = models.DateField(_("materials supplemented on"), null=True, blank=True)
    decided_on = models.DateField(_("acceptance decided on"), null=True, blank=True)
    rejection_reason = models.CharField(
        _("reason for not accepting"), max_length=24, choices=RejectionReason.choices, blank=True
    )
    rejection_note = models.TextField(_("written reason for not accepting"), blank=True)

    # investigation
    case = optional_fk(Case, "complaints", _("enforcement case"))
    investigation_due_on = models.DateField(_("investigation due"), null=True, blank=True)

    # the next statutory deadline while the complaint is open, kept by the services
    due_on = models.DateField(_("next deadline"), null=True, blank=True)
    due_estimated = models.BooleanField(
        _("deadline estimated"),
        default=False,
        help_text=_(
            "The deadline lies in a year the official calendar does not know yet; it was counted "
            "Monday to Friday."
        ),
    )

    # outcome
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome details"), blank=True)
    answered_on = models.DateField(_("complainant answered on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("complaint or report")
        verbose_name_plural = _("complaints and reports")
        indexes = [
            # ledger newest first, month filter
            models.Index(fields=["-received_on", "-id"], name="complaint_received"),
            # ledger filtered by unit and month; counts by unit
            models.Index(fields=["unit", "received_on"], name="complaint_unit_received"),
            # employer page panel
            models.Index(fields=["employer", "-received_on"], name="complaint_employer_received"),
            # overdue / due-soon filters and sort on open complaints
            models.Index(
                fields=["due_on"],
                name="complaint_open_due",
                condition=Q(due_on__isnull=False),
            ),
            # ledger filtered by status
            models.Index(fields=["status", "-received_on"], name="complaint_status_received"),
            # employers flagged for the registry
            models.Index(
                fields=["unit"], name="complaint_needs_registry", condition=Q(needs_registry=True)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(employer__isnull=False) | ~Q(unregistered_name=""),
                name="complaint_has_employer",
                violation_error_message=_(
                    "Pick the employer from the registry or record its name."
                ),
            ),
            models.CheckConstraint(
                condition=Q(anonymous=True) | ~Q(complainant_name=""),
                name="complaint_named_unless_anonymous",
                violation_error_message=_(
                    "Enter the complainant's name or mark the report anonymous."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="not_accepted")
                | (~Q(rejection_reason="") & ~Q(rejection_note="")),
                name="complaint_rejection_needs_reason",
                violation_error_message=_(
                    "Not accepting needs a reason and a written explanation."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (~Q(outcome="") & Q(closed_on__isnull=False)),
                name="complaint_closed_needs_outcome",
                violation_error_message=_("Closing needs an outcome and a closing date."),
            ),
            models.CheckConstraint(
                condition=Q(amount_involved__isnull=True) | Q(amount_involved__gte=0),
                name="complaint_amount_not_negative",
                violation_error_message=_("The amount involved cannot be negative."),
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(case__isnull=False),
                name="complaint_accepted_has_case",
                violation_error_message=_("An accepted complaint has an enforcement case."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("complaints:detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED_STATUSES

    @property
    def employer_display_name(self) -> str:
        return self.employer.name if self.employer_id else self.unregistered_name

    # --- confidentiality ---------------------------------------------------------------

    def identity_visible_to(self, user: AbstractBaseUser | AnonymousUser) -> bool:
        """条例 Art. 9: only the assigned inspectors and supervisors see who complained.

        Uses the prefetched ``inspectors`` when present; otherwise one query."""
        roles = roles_of(user)
        if Role.SUPERVISOR in roles:
            return True
        if Role.INSPECTOR not in roles:
            return False
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "inspectors" in cache:
            return any(u.pk == user.pk for u in cache["inspectors"])
        return self.inspectors.filter(pk=user.pk).exists()

    def identity(self, *, masked: bool) -> "Identity":
        if self.anonymous:
            return Identity(anonymous=True, masked=masked)
        if not masked:
            return Identity(
                name=self.complainant_name,
                id_number=self.complainant_id_number,
                phone=self.complainant_phone,
                address=self.complainant_address,
                masked=False,
            )
        return Identity(
            name=masking.mask_name(self.complainant_name),
            id_number=masking.mask_id_number(self.complainant_id_number),
            phone=masking.mask_phone(self.complainant_phone),
            address=masking.mask_address(self.complainant_address),
            masked=True,
        )

    def description_for(self, *, masked: bool) -> str:
        if not masked:
            return self.description
        return masking.redact_text(
            self.description,
            name=self.complainant_name,
            id_number=self.complainant_id_number,
            phone=self.complainant_phone,
            address=self.complainant_address,
        )

    # --- clocks --------------------------------------------------------------------------

    def clock(self, today: datetime.date) -> "Clock | None":
        """The next statutory deadline and the working days left to it, or None when closed
        or paused (waiting for the complainant's materials)."""
        if not self.is_open or self.due_on is None:
            return None
        left, estimated = workdays_between_estimated(today, self.due_on)
        label = (
            _("Investigation due")
            if self.status == self.Status.ACCEPTED
            else _("Acceptance decision due")
        )
        return Clock(
            label=str(label),
            due_on=self.due_on,
            days_left=left,
            overdue=self.due_on < today,
            due_soon=today <= self.due_on and left <= DUE_SOON_WORKDAYS,
            estimated=estimated or self.due_estimated,
        )

    @property
    def approved_extension(self) -> "DeadlineExtension | None":
        from .records import DeadlineExtension  # records hang off Complaint: import late

        return next(
            (e for e in self.extensions.all() if e.status == DeadlineExtension.Status.APPROVED),
            None,
        )


@dataclass(frozen=True)
class Identity:
    name: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""
    masked: bool = True
    anonymous: bool = False


@dataclass(frozen=True)
class Clock:
    label: str
    due_on: datetime.date
    days_left: int
    overdue: bool
    due_soon: bool
    estimated: bool

    @property
    def days_overdue(self) -> int:
        return -self.days_left
