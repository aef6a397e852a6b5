"""What hangs off a complaint: the items alleged, deadline extensions, the log of who saw the
complainant's identity, and the yearly complaint number."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import user_fk
from core.models import YearlyCounter
from inspections.items import Item

from .complaint import MAX_EXTENSION_WORKDAYS, Complaint


class ComplaintItem(models.Model):
    """One alleged item of a complaint (an evaluation item of the notice); a row each, so the
    ledger can filter and count by item on any database."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="items", verbose_name=_("complaint")
    )
    item = models.CharField(_("item"), max_length=20, choices=Item.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["complaint", "id"]
        verbose_name = _("alleged item")
        verbose_name_plural = _("alleged items")
        constraints = [
            models.UniqueConstraint(fields=["complaint", "item"], name="complaint_item_once"),
        ]
        indexes = [
            # ledger filter and counts by item
            models.Index(fields=["item", "complaint"], name="complaint_item_item"),
        ]

    def __str__(self) -> str:
        return self.get_item_display()


class DeadlineExtension(models.Model):
    """One extension of the investigation period (at most 30 working days, 条例 Art. 17),
    requested by an inspector with a reason and decided by a supervisor."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="extensions", verbose_name=_("complaint")
    )
    workdays = models.PositiveSmallIntegerField(_("working days requested"))
    reason = models.TextField(_("reason"))
    requested_by = user_fk(_("requested by"), required=True)
    requested_on = models.DateField(_("requested on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = user_fk(_("decided by"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["complaint", "-requested_on", "-id"]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        constraints = [
            models.CheckConstraint(
                condition=Q(workdays__gte=1) & Q(workdays__lte=MAX_EXTENSION_WORKDAYS),
                name="extension_workdays_range",
                violation_error_message=_("An extension is 1 to 30 working days."),
            ),
            models.UniqueConstraint(
                fields=["complaint"],
                condition=Q(status="approved"),
                name="extension_one_approved",
                violation_error_message=_("The investigation period can be extended only once."),
            ),
            models.UniqueConstraint(
                fields=["complaint"],
                condition=Q(status="pending"),
                name="extension_one_pending",
                violation_error_message=_("An extension request is already awaiting approval."),
            ),
        ]
        indexes = [
            # supervisors' queue of requests awaiting approval
            models.Index(
                fields=["requested_on"], name="extension_pending", condition=Q(status="pending")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint.number} +{self.workdays}"


class IdentityAccess(models.Model):
    """Every time someone is shown a complainant's unmasked identity: who, when, where."""

    class Via(models.TextChoices):
        DETAIL = "detail", _("Complaint page")
        EXPORT = "export", _("Ledger export")
        HISTORY = "history", _("Change history")
        EDIT = "edit", _("Edit form")

    complaint = models.ForeignKey(
        Complaint,
        on_delete=models.PROTECT,
        related_name="identity_accesses",
        verbose_name=_("complaint"),
    )
    user = user_fk(_("user"), required=True)
    via = models.CharField(_("where"), max_length=10, choices=Via.choices)
    accessed_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-accessed_at", "-id"]
        verbose_name = _("identity access")
        verbose_name_plural = _("identity accesses")
        indexes = [
            # the access log shown on a complaint's page
            models.Index(fields=["complaint", "-accessed_at"], name="identity_access_complaint"),
            # an audit of what one user looked at
            models.Index(fields=["user", "-accessed_at"], name="identity_access_user"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.user_id} {self.accessed_at:%Y-%m-%d %H:%M}"


class ComplaintNumberCounter(YearlyCounter):
    """The last complaint number handed out per year; its row is locked while a number is
    chosen, so two desks registering at once get different numbers."""
