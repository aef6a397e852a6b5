"""Enforcement cases (查处案件), their measures and the yearly case number."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import optional_fk, user_fk
from core.models import RecordedUpdated, YearlyCounter
from employers.models import EmployerRecordQuerySet, employer_fk

from ..items import Item
from .case_dates import (
    CASE_DATE_FIELDS,
    CASE_DATE_ORDER_CONSTRAINTS,
    case_date_errors,
    date_order_constraints,
)
from .patrols import Patrol
from .reviews import WrittenReview

# --- case terms --------------------------------------------------------------------------
# Each term is written here once, as a Q and as a predicate on one case, side by side, so the
# two read the same; ratings/rules.py states the same terms on its CaseFacts, and
# tests/inspections/test_case_terms.py checks the three agree on generated cases.


def decided_q(day: datetime.date | None = None) -> Q:
    """决定: the case has a decision date (on or before ``day`` when one is given)."""
    if day is None:
        return Q(decided_on__isnull=False)
    return Q(decided_on__isnull=False, decided_on__lte=day)


def sanctioned_q(day: datetime.date | None = None) -> Q:
    """被查处 (on ``day``): an order to correct, a handling decision or a penalty, not
    withdrawn, and decided (on or before ``day``). A case without a decision date is not
    sanctioned yet."""
    return (
        (Q(order_issued=True) | Q(decision_issued=True) | Q(penalty_issued=True))
        & Q(withdrawn=False)
        & decided_q(day)
    )


def _overdue_q(issued: str, deadline: str, done_on: str, today: datetime.date) -> Q:
    # Sanctioned, the deadline has passed (the deadline day itself is still in time) and not
    # done by today (a completion dated later does not count yet).
    return (
        sanctioned_q(today)
        & Q(**{issued: True, f"{deadline}__lt": today})
        & (Q(**{f"{done_on}__isnull": True}) | Q(**{f"{done_on}__gt": today}))
    )


def order_overdue_q(today: datetime.date) -> Q:
    """The order to correct's deadline has passed and it is not rectified (clause C2)."""
    return _overdue_q("order_issued", "order_deadline", "order_rectified_on", today)


def decision_overdue_q(today: datetime.date) -> Q:
    """The handling decision's deadline has passed and it is not fulfilled (clause C3)."""
    return _overdue_q("decision_issued", "decision_deadline", "decision_fulfilled_on", today)


class CaseQuerySet(EmployerRecordQuerySet):
    def decided(self, day: datetime.date | None = None) -> "CaseQuerySet":
        return self.filter(decided_q(day))

    def sanctioned(self, day: datetime.date | None = None) -> "CaseQuerySet":
        return self.filter(sanctioned_q(day))

    def order_overdue(self, today: datetime.date) -> "CaseQuerySet":
        return self.filter(order_overdue_q(today))

    def decision_overdue(self, today: datetime.date) -> "CaseQuerySet":
        return self.filter(decision_overdue_q(today))

    def overdue(self, today: datetime.date) -> "CaseQuerySet":
        """An order or a handling decision overdue (C2 or C3)."""
        return self.filter(order_overdue_q(today) | decision_overdue_q(today))

    def with_status(self, status: str) -> "CaseQuerySet":
        if status == Case.Status.WITHDRAWN:
            return self.filter(withdrawn=True)
        if status == Case.Status.CLOSED:
            return self.filter(withdrawn=False, closed_on__isnull=False)
        if status == Case.Status.OPEN:
            return self.filter(withdrawn=False, closed_on__isnull=True)
        return self


class Case(RecordedUpdated):
    """查处案件: an enforcement case and its measures.

    The rating engine reads these fields; keep their meaning stable:
    ``decided_on`` is the decision date that places a sanction in the evaluation window.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Source(models.TextChoices):
        PATROL = "patrol", _("Patrol")
        WRITTEN_REVIEW = "written_review", _("Written review")
        COMPLAINT = "complaint", _("Complaint or report")
        SPECIAL = "special", _("Special inspection")
        TRANSFER = "transfer", _("Transfer")

    number = models.CharField(_("case number"), max_length=50, unique=True)
    employer = employer_fk("cases")
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    source_patrol = optional_fk(Patrol, "cases", _("source patrol"), on_delete=models.SET_NULL)
    source_review = optional_fk(
        WrittenReview, "cases", _("source written review"), on_delete=models.SET_NULL
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
    # A fine unpaid after its due date is a penalty decision not carried out (rule set
    # national-2016, clause N3).
    fine_due_on = models.DateField(_("fine payment due"), null=True, blank=True)
    fine_paid_on = models.DateField(_("fine paid on"), null=True, blank=True)
    # flags
    mass_incident = models.BooleanField(
        _("mass petition, incident or serious adverse social impact"), default=False
    )
    serious = models.BooleanField(_("other major violation judged serious"), default=False)
    serious_reason = models.TextField(_("reason for judging serious"), blank=True)
    serious_judged_by = user_fk(_("judged serious by"))
    criminal = models.BooleanField(_("criminal liability pursued"), default=False)
    # Facts of rule set national-2016 (child labour is a violation item).
    forced_labour = models.BooleanField(_("forced labour found"), default=False)
    obstructed_inspection = models.BooleanField(
        _("inspection refused or obstructed"),
        default=False,
        help_text=_("The employer refused or obstructed the labour inspection in this case."),
    )
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # Numbers of the documents made from the case (assigned on first download).
    order_document_number = models.CharField(
        _("order to correct document number"), max_length=60, blank=True
    )
    decision_document_number = models.CharField(
        _("handling decision letter number"), max_length=60, blank=True
    )

    history = HistoricalRecords(m2m_fields=[inspectors])
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
            # case list filtered by source
            models.Index(fields=["source", "-opened_on"], name="case_source_opened"),
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
                condition=Q(penalty_issued=True)
                | Q(fine_due_on__isnull=True, fine_paid_on__isnull=True),
                name="case_fine_dates_need_penalty",
                violation_error_message=_(
                    "A fine's due or paid date needs an administrative penalty."
                ),
            ),
            models.CheckConstraint(
                condition=Q(penalty_amount__isnull=True) | Q(penalty_amount__gte=0),
                name="case_amount_not_negative",
                violation_error_message=_("The fine cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(serious=False) | ~Q(serious_reason=""),
                name="case_serious_needs_reason",
                violation_error_message=_("Judging a violation serious needs a reason."),
            ),
            *date_order_constraints(),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("inspections:case_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        # The rating engine counts months from these dates: an impossible one (a mistyped
        # year, a decision not yet taken, a rectification before the decision) would become
        # evidence that can fine an employer.
        errors = case_date_errors({name: getattr(self, name) for name in CASE_DATE_FIELDS})
        if errors:
            raise ValidationError(errors)

    def get_constraints(self) -> list:
        # clean() reports the date-order rules on their fields; validating the same rules
        # again as constraints would only repeat each message without a field.
        return [
            (model, [c for c in constraints if c.name not in CASE_DATE_ORDER_CONSTRAINTS])
            for model, constraints in super().get_constraints()
        ]

    # --- case terms (the predicates beside decided_q, sanctioned_q, ...) ------------------

    def decided_by(self, day: datetime.date | None = None) -> bool:
        return self.decided_on is not None and (day is None or self.decided_on <= day)

    def sanctioned_on(self, day: datetime.date | None = None) -> bool:
        return (
            (self.order_issued or self.decision_issued or self.penalty_issued)
            and not self.withdrawn
            and self.decided_by(day)
        )

    @property
    def is_decided(self) -> bool:
        return self.decided_by()

    @property
    def is_sanctioned(self) -> bool:
        return self.sanctioned_on()

    def _overdue(
        self,
        issued: bool,
        deadline: datetime.date | None,
        done_on: datetime.date | None,
        today: datetime.date,
    ) -> bool:
        return (
            self.sanctioned_on(today)
            and issued
            and deadline is not None
            and deadline < today
            and (done_on is None or done_on > today)
        )

    def order_overdue(self, today: datetime.date) -> bool:
        return self._overdue(self.order_issued, self.order_deadline, self.order_rectified_on, today)

    def decision_overdue(self, today: datetime.date) -> bool:
        return self._overdue(
            self.decision_issued, self.decision_deadline, self.decision_fulfilled_on, today
        )

    @property
    def child_labour(self) -> bool:
        """Child labour is among the violation items (a fact of rule set national-2016)."""
        return Item.CHILD_LABOUR in (self.violation_items or [])

    @property
    def violation_item_labels(self) -> list[str]:
        return [str(Item(code).label) for code in self.violation_items if code in Item.values]

    @property
    def status(self) -> str:
        if self.withdrawn:
            return self.Status.WITHDRAWN
        if self.closed_on:
            return self.Status.CLOSED
        return self.Status.OPEN

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def measure_labels(self) -> list[str]:
        labels = []
        if self.order_issued:
            labels.append(str(_("Order to correct")))
        if self.decision_issued:
            labels.append(str(_("Handling decision")))
        if self.penalty_issued:
            labels.append(str(_("Penalty")))
        return labels


class CaseNumberCounter(YearlyCounter):
    """The last case number handed out per year; its row is locked while a number is chosen."""


class OrderDocumentCounter(YearlyCounter):
    """The last number of an order to correct (限期改正指令书) handed out per year."""


class DecisionDocumentCounter(YearlyCounter):
    """The last number of a handling decision letter (行政处理决定书) handed out per year."""
