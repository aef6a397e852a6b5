from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from employers.models import Employer, employer_fk


class Level(models.TextChoices):
    A = "A", _("A (compliant)")
    B = "B", _("B (basically compliant)")
    C = "C", _("C (non-compliant)")


class RatingResult(models.Model):
    """What the engine found for an employer, as the rating, its history, the yearly
    evaluation and a notice's snapshot all hold it: the level, the clauses that fired (their
    codes joined by ";" for filtering and export, and in detail) and the rule set that decided."""

    level = models.CharField(_("level"), max_length=1, choices=Level.choices)
    clause_codes = models.CharField(_("clauses"), max_length=40, blank=True)
    clauses = models.JSONField(_("clause details"), default=list, blank=True)
    ruleset_version = models.CharField(_("rule-set version"), max_length=20)

    class Meta:
        abstract = True


class Rating(RatingResult):
    """The current rating of one employer (exactly one per employer).

    ``clauses`` holds what fired, as a list of ``{"code": "C2", "case_ids": [..], ...}``;
    ``clause_codes`` is the same codes joined by ";" (``C1;C4``) for filtering and export.
    """

    employer = models.OneToOneField(
        Employer, on_delete=models.CASCADE, related_name="rating", verbose_name=_("employer")
    )
    level = models.CharField(_("level"), max_length=1, choices=Level.choices, default=Level.A)
    since = models.DateField(_("at this level since"))
    next_change_on = models.DateField(
        _("next change by itself on"),
        null=True,
        blank=True,
        help_text=_("The date a deadline passes or a case leaves the window."),
    )
    computed_at = models.DateTimeField(_("computed at"))
    # Kept by ratings/patrol_due.py: the rerate service, patrol saves, interval changes.
    next_patrol_due_on = models.DateField(_("next patrol due on"), null=True, blank=True)

    class Meta:
        ordering = ["employer_id"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["employer"], name="rating_one_per_employer"),
        ]
        indexes = [
            # watchlist and exports: all employers at a level
            models.Index(fields=["level", "employer"], name="rating_level_employer"),
            # daily sweep (rerate --due): ratings whose next change has come
            models.Index(
                fields=["next_change_on"],
                name="rating_next_change",
                condition=Q(next_change_on__isnull=False),
            ),
            # patrols due and the watchlist: "due on or before D", sorted by the due date
            models.Index(fields=["next_patrol_due_on", "employer"], name="rating_patrol_due"),
        ]

    def __str__(self) -> str:
        return f"{self.employer_id}: {self.level}"


class RatingHistory(RatingResult):
    """Append-only: a row only when the level or the clauses change."""

    class Cause(models.TextChoices):
        """Why a rating was recomputed."""

        CASE_CHANGED = "case_changed", _("Case record changed")
        CASE_DELETED = "case_deleted", _("Case record deleted")
        EMPLOYER_ADDED = "employer_added", _("Employer added")
        ROSTER_IMPORT = "roster_import", _("Roster import")
        CASE_IMPORT = "case_import", _("Case ledger import")
        TIME = "time", _("Time passed (daily sweep)")
        FULL = "full", _("Full re-rating")
        COMMAND = "command", _("Re-rated by command")
        DEMO = "demo", _("Demo data")
        REPAIR = "repair", _("Repaired by decision")
        RULESET_SWITCH = "ruleset_switch", _("Rule set switched")

    employer = employer_fk("rating_history", on_delete=models.CASCADE)
    computed_at = models.DateTimeField(_("computed at"))
    cause = models.CharField(_("cause"), max_length=60, blank=True, choices=Cause.choices)
    # What the cause refers to: the repair decision's number, the rule set switched to.
    cause_detail = models.CharField(
        _("cause detail"), max_length=60, blank=True, default="", db_default=""
    )

    class Meta:
        ordering = ["employer", "-computed_at", "-id"]
        verbose_name = _("rating history entry")
        verbose_name_plural = _("rating history")
        indexes = [
            # employer page timeline, newest first
            models.Index(fields=["employer", "-computed_at"], name="ratinghistory_employer"),
        ]

    def __str__(self) -> str:
        return f"{self.employer_id}: {self.level} @ {self.computed_at:%Y-%m-%d}"


class YearlyEvaluation(RatingResult):
    """年度评价: an employer's level frozen for one calendar year; what is reported and notified."""

    employer = employer_fk("yearly_evaluations", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("year"))
    evaluated_at = models.DateTimeField(_("evaluated at"))
    notified_on = models.DateField(_("employer notified on"), null=True, blank=True)

    # who recorded the notification date, and who re-ran the evaluation
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "employer_id"]
        verbose_name = _("yearly evaluation")
        verbose_name_plural = _("yearly evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "year"], name="yearly_one_per_employer_year"
            ),
        ]
        indexes = [
            # yearly evaluation page and export: one year, by level
            models.Index(fields=["year", "level"], name="yearly_year_level"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.employer_id}: {self.level}"


# The procedure's models live in their own package; importing them here registers them in
# this app.
from .procedure.models import (  # noqa: E402, F401
    Notice,
    NoticeNumberCounter,
    Objection,
    ObjectionAttachment,
    ObjectionNumberCounter,
)
from .repair.models import (  # noqa: E402, F401
    Repair,
    RepairDecisionCounter,
    RuleSetSwitch,
)


class RerateRun(models.Model):
    """One fanned-out rerate (``rerate --all --workers N``, the sweep): its chunks dispatched as
    a Celery group, each chunk counted here when it is done, so the run's progress is visible
    while it runs and a chunk that fails marks the run failed."""

    cause = models.CharField(_("cause"), max_length=60, choices=RatingHistory.Cause.choices)
    today = models.DateField(_("rated for day"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    failed = models.BooleanField(_("failed"), default=False)
    error = models.TextField(_("error"), blank=True)
    chunks_total = models.PositiveIntegerField(_("chunks"), default=0)
    chunks_done = models.PositiveIntegerField(_("chunks done"), default=0)
    rated = models.PositiveIntegerField(_("employers rated"), default=0)
    changed = models.PositiveIntegerField(_("ratings changed"), default=0)
    level_changes = models.PositiveIntegerField(_("history rows"), default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("rerate run")
        verbose_name_plural = _("rerate runs")

    def __str__(self) -> str:
        return (
            f"{self.cause} {self.started_at:%Y-%m-%d %H:%M} {self.chunks_done}/{self.chunks_total}"
        )
