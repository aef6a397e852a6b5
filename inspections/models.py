from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from employers.models import Employer

from .items import Item


class Patrol(models.Model):
    """日常巡查: an on-site patrol by at least two inspectors (条例 Art. 16)."""

    class Outcome(models.TextChoices):
        COMPLIANT = "compliant", _("Compliant")
        CORRECTED = "corrected", _("Corrected on the spot")
        CASE_OPENED = "case_opened", _("Case opened")

    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="patrols", verbose_name=_("employer")
    )
    patrolled_on = models.DateField(_("patrol date"))
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="patrols", verbose_name=_("inspectors")
    )
    findings = models.TextField(_("findings"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.COMPLIANT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-patrolled_on", "-id"]
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        indexes = [
            # employer page (patrols newest first); last patrol per employer for the watchlist
            models.Index(fields=["employer", "-patrolled_on"], name="patrol_employer_date"),
            # patrol list by date
            models.Index(fields=["-patrolled_on"], name="patrol_date"),
        ]

    def __str__(self) -> str:
        return f"{self.employer.name} {self.patrolled_on}"


class CaseQuerySet(models.QuerySet):
    def sanctioned(self) -> "CaseQuerySet":
        """被查处: an order to correct, a handling decision or a penalty, and not withdrawn."""
        return self.filter(
            Q(order_issued=True) | Q(decision_issued=True) | Q(penalty_issued=True),
            withdrawn=False,
        )


class Case(models.Model):
    """查处案件: an enforcement case and its measures.

    The rating engine reads these fields; keep their meaning stable:
    ``decided_on`` is the decision date that places a sanction in the evaluation window.
    """

    class Source(models.TextChoices):
        PATROL = "patrol", _("Patrol")
        WRITTEN_REVIEW = "written_review", _("Written review")
        COMPLAINT = "complaint", _("Complaint or report")
        SPECIAL = "special", _("Special inspection")
        TRANSFER = "transfer", _("Transfer")

    number = models.CharField(_("case number"), max_length=50, unique=True)
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="cases", verbose_name=_("employer")
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    source_patrol = models.ForeignKey(
        Patrol,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("source patrol"),
    )
    opened_on = models.DateField(_("opened on"))
    decided_on = models.DateField(
        _("decision date"),
        null=True,
        blank=True,
        help_text=_("Date of the decision that imposed the measures."),
    )
    violation_items = models.JSONField(
        _("violation items"), default=list, blank=True, help_text=_("Evaluation item codes.")
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="cases", blank=True, verbose_name=_("inspectors")
    )
    facts = models.TextField(_("facts"), blank=True)

    # 责令改正
    order_issued = models.BooleanField(_("order to correct"), default=False)
    order_deadline = models.DateField(_("correction deadline"), null=True, blank=True)
    order_rectified_on = models.DateField(_("rectified on"), null=True, blank=True)
    # 行政处理决定
    decision_issued = models.BooleanField(_("handling decision"), default=False)
    decision_number = models.CharField(_("handling decision number"), max_length=60, blank=True)
    decision_deadline = models.DateField(_("performance deadline"), null=True, blank=True)
    decision_fulfilled_on = models.DateField(_("fulfilled on"), null=True, blank=True)
    # 行政处罚
    penalty_issued = models.BooleanField(_("administrative penalty"), default=False)
    penalty_number = models.CharField(_("penalty decision number"), max_length=60, blank=True)
    penalty_amount = models.DecimalField(
        _("fine (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # flags
    mass_incident = models.BooleanField(
        _("mass petition, incident or serious adverse social impact"), default=False
    )
    serious = models.BooleanField(_("other major violation judged serious"), default=False)
    serious_reason = models.TextField(_("reason for judging serious"), blank=True)
    serious_judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("judged serious by"),
    )
    criminal = models.BooleanField(_("criminal liability pursued"), default=False)
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("enforcement case")
        verbose_name_plural = _("enforcement cases")
        indexes = [
            # rating facts of one employer; employer page case list
            models.Index(fields=["employer", "-opened_on"], name="case_employer_opened"),
            # case list newest first
            models.Index(fields=["-opened_on"], name="case_opened"),
            # early warning and sweep: open order deadlines
            models.Index(
                fields=["order_deadline"],
                name="case_open_order_deadline",
                condition=Q(order_issued=True, order_rectified_on__isnull=True, withdrawn=False),
            ),
            # early warning and sweep: open handling-decision deadlines
            models.Index(
                fields=["decision_deadline"],
                name="case_open_decision_deadline",
                condition=Q(
                    decision_issued=True, decision_fulfilled_on__isnull=True, withdrawn=False
                ),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(order_issued=True)
                | Q(order_deadline__isnull=True, order_rectified_on__isnull=True),
                name="case_order_fields_need_order",
                violation_error_message=_(
                    "A correction deadline or rectified date needs an order to correct."
                ),
            ),
            models.CheckConstraint(
                condition=Q(decision_issued=True)
                | Q(decision_deadline__isnull=True, decision_fulfilled_on__isnull=True),
                name="case_decision_fields_need_decision",
                violation_error_message=_(
                    "A performance deadline or fulfilled date needs a handling decision."
                ),
            ),
            models.CheckConstraint(
                condition=Q(penalty_issued=True) | Q(penalty_amount__isnull=True),
                name="case_amount_needs_penalty",
                violation_error_message=_("A fine needs an administrative penalty."),
            ),
            models.CheckConstraint(
                condition=Q(penalty_amount__isnull=True) | Q(penalty_amount__gte=0),
                name="case_amount_not_negative",
                violation_error_message=_("The fine cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(order_deadline__isnull=True)
                | Q(decided_on__isnull=True)
                | Q(order_deadline__gte=F("decided_on")),
                name="case_order_deadline_after_decision",
                violation_error_message=_(
                    "The correction deadline cannot be before the decision date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(decision_deadline__isnull=True)
                | Q(decided_on__isnull=True)
                | Q(decision_deadline__gte=F("decided_on")),
                name="case_decision_deadline_after_decision",
                violation_error_message=_(
                    "The performance deadline cannot be before the decision date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("opened_on")),
                name="case_decided_after_opened",
                violation_error_message=_(
                    "The decision date cannot be before the case was opened."
                ),
            ),
            models.CheckConstraint(
                condition=Q(serious=False) | ~Q(serious_reason=""),
                name="case_serious_needs_reason",
                violation_error_message=_("Judging a violation serious needs a reason."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("inspections:case_detail", kwargs={"pk": self.pk})

    @property
    def is_sanctioned(self) -> bool:
        return not self.withdrawn and (
            self.order_issued or self.decision_issued or self.penalty_issued
        )

    @property
    def violation_item_labels(self) -> list[str]:
        return [str(Item(code).label) for code in self.violation_items if code in Item.values]
