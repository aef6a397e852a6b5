"""Credit repair (信用修复) and rule-set switches. Registered in the ratings app (imported at the
end of ``ratings.models``)."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import user_fk
from core.models import Recorded, YearlyCounter
from employers.models import EmployerRecordQuerySet, employer_fk


class RepairDecisionCounter(YearlyCounter):
    """Serials of repair decision letters (西青人社信修〔YYYY〕N号)."""


class RepairQuerySet(EmployerRecordQuerySet):
    def granted(self) -> "RepairQuerySet":
        return self.filter(status=Repair.Status.GRANTED)

    def pending(self) -> "RepairQuerySet":
        return self.filter(status=Repair.Status.PENDING)


class Repair(Recorded):
    """An employer's application to repair one clause of its rating, and its decision.

    ``case_ids`` are the cases behind the clause when the application was made: a granted
    repair stops exactly those counting for that clause from ``decided_on``."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    employer = employer_fk("repairs")
    code = models.CharField(_("clause"), max_length=4)
    case_ids = models.JSONField(_("cases behind the clause"), default=list)
    clause_since = models.DateField(
        _("clause in force since"),
        help_text=_("The date of the newest case behind the clause when the application came."),
    )
    applied_on = models.DateField(_("application received on"))
    corrected_on = models.DateField(
        _("violation corrected on"),
        null=True,
        blank=True,
        help_text=_("The date the bureau verified the violation was corrected."),
    )
    statement = models.TextField(_("employer's statement"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = user_fk(_("decided by"))
    reasons = models.TextField(_("reasons"), blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)

    objects = RepairQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_on", "-id"]
        verbose_name = _("credit repair")
        verbose_name_plural = _("credit repairs")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_on__isnull=False),
                name="repair_decided_has_date",
                violation_error_message=_("A decided repair needs its decision date."),
            ),
        ]
        indexes = [
            # the rerate's repair facts: granted repairs of a chunk of employers
            models.Index(fields=["employer", "status"], name="repair_employer_status"),
            # supervisors' list of pending applications
            models.Index(fields=["status", "-applied_on"], name="repair_status_applied"),
        ]

    def __str__(self) -> str:
        return f"{self.employer_id} {self.code} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class RuleSetSwitch(models.Model):
    """The district switched to rule set ``ruleset_id`` from ``effective_on``. The newest switch
    in effect on a day decides the rules of that day; ``applied_at`` is set once every rating
    was rerun under it."""

    ruleset_id = models.CharField(_("rule set"), max_length=20)
    effective_on = models.DateField(_("effective from"))
    reason = models.TextField(_("reason"), blank=True)
    switched_by = user_fk(_("switched by"))
    switched_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("ratings rerun at"), null=True, blank=True)

    class Meta:
        ordering = ["-effective_on", "-id"]
        verbose_name = _("rule-set switch")
        verbose_name_plural = _("rule-set switches")
        indexes = [
            # the rule set in effect on a day: the newest switch effective by then
            models.Index(fields=["-effective_on", "-id"], name="rulesetswitch_effective"),
        ]

    def __str__(self) -> str:
        return f"{self.ruleset_id} from {self.effective_on:%Y-%m-%d}"

    def in_effect_on(self, day: datetime.date) -> bool:
        return self.effective_on <= day
