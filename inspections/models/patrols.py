"""Patrols (日常巡查) and their checklists."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import RecordedUpdated
from employers.models import EmployerRecordQuerySet, employer_fk

from ..items import Item


class Patrol(RecordedUpdated):
    """日常巡查: an on-site patrol by at least two inspectors (条例 Art. 16)."""

    class Outcome(models.TextChoices):
        COMPLIANT = "compliant", _("Compliant")
        CORRECTED = "corrected", _("Corrected on the spot")
        CASE_OPENED = "case_opened", _("Case opened")

    employer = employer_fk("patrols")
    patrolled_on = models.DateField(_("patrol date"))
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="patrols", verbose_name=_("inspectors")
    )
    person_met = models.CharField(_("person met on site"), max_length=100, blank=True)
    headcount_seen = models.PositiveIntegerField(_("headcount seen"), null=True, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.COMPLIANT
    )

    history = HistoricalRecords(m2m_fields=[inspectors])
    objects = EmployerRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-patrolled_on", "-id"]
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        indexes = [
            # employer page (patrols newest first); last patrol per employer for the watchlist
            models.Index(fields=["employer", "-patrolled_on"], name="patrol_employer_date"),
            # patrol list by date
            models.Index(fields=["-patrolled_on"], name="patrol_date"),
            # patrol list filtered by outcome
            models.Index(fields=["outcome", "-patrolled_on"], name="patrol_outcome_date"),
        ]

    def __str__(self) -> str:
        return f"{self.employer.name} {self.patrolled_on}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:patrol_detail", kwargs={"pk": self.pk})


class PatrolCheck(models.Model):
    """One line of a patrol's checklist: an evaluation item and what the inspectors found."""

    class Result(models.TextChoices):
        COMPLIANT = "compliant", _("Compliant")
        PROBLEM = "problem", _("Problem found")
        NOT_CHECKED = "not_checked", _("Not checked")

    patrol = models.ForeignKey(
        Patrol, on_delete=models.CASCADE, related_name="checks", verbose_name=_("patrol")
    )
    item = models.CharField(_("evaluation item"), max_length=20, choices=Item.choices)
    result = models.CharField(
        _("result"), max_length=12, choices=Result.choices, default=Result.NOT_CHECKED
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["patrol", "id"]
        verbose_name = _("checklist line")
        verbose_name_plural = _("checklist lines")
        constraints = [
            models.UniqueConstraint(fields=["patrol", "item"], name="patrolcheck_one_per_item"),
            models.CheckConstraint(
                condition=~Q(result="problem") | ~Q(note=""),
                name="patrolcheck_problem_needs_note",
                violation_error_message=_("Describe each problem found."),
            ),
        ]
        indexes = [
            # patrol list filtered by "problem found on item X"
            models.Index(fields=["item", "result"], name="patrolcheck_item_result"),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()}: {self.get_result_display()}"
