from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey
from simple_history.models import HistoricalRecords

from employers.models import Employer


class Level(models.TextChoices):
    A = "A", _("A (compliant)")
    B = "B", _("B (basically compliant)")
    C = "C", _("C (non-compliant)")


class Rating(models.Model):
    """The current rating of one employer (exactly one per employer).

    ``clauses`` holds what fired, as a list of ``{"code": "C2", "case_ids": [..], ...}``;
    ``clause_codes`` is the same codes joined by ";" (``C1;C4``) for filtering and export.
    """

    employer = models.OneToOneField(
        Employer, on_delete=models.CASCADE, related_name="rating", verbose_name=_("employer")
    )
    level = models.CharField(_("level"), max_length=1, choices=Level.choices, default=Level.A)
    clause_codes = models.CharField(_("clauses"), max_length=40, blank=True)
    clauses = models.JSONField(_("clause details"), default=list, blank=True)
    ruleset_version = models.CharField(_("rule-set version"), max_length=20)
    since = models.DateField(_("at this level since"))
    next_change_on = models.DateField(
        _("next change by itself on"),
        null=True,
        blank=True,
        help_text=_("The date a deadline passes or a case leaves the window."),
    )
    computed_at = models.DateTimeField(_("computed at"))

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
        ]

    def __str__(self) -> str:
        return f"{self.employer_id}: {self.level}"


class RatingHistory(models.Model):
    """Append-only: a row only when the level or the clauses change."""

    employer = models.ForeignKey(
        Employer,
        on_delete=models.CASCADE,
        related_name="rating_history",
        verbose_name=_("employer"),
    )
    level = models.CharField(_("level"), max_length=1, choices=Level.choices)
    clause_codes = models.CharField(_("clauses"), max_length=40, blank=True)
    clauses = models.JSONField(_("clause details"), default=list, blank=True)
    ruleset_version = models.CharField(_("rule-set version"), max_length=20)
    computed_at = models.DateTimeField(_("computed at"))
    cause = models.CharField(_("cause"), max_length=60, blank=True)

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


class YearlyEvaluation(models.Model):
    """年度评价: an employer's level frozen for one calendar year; what is reported and notified."""

    employer = models.ForeignKey(
        Employer,
        on_delete=models.CASCADE,
        related_name="yearly_evaluations",
        verbose_name=_("employer"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=1, choices=Level.choices)
    clause_codes = models.CharField(_("clauses"), max_length=40, blank=True)
    clauses = models.JSONField(_("clause details"), default=list, blank=True)
    ruleset_version = models.CharField(_("rule-set version"), max_length=20)
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


class PatrolInterval(models.Model):
    """How often an employer of a level must be patrolled; editable by admins."""

    level = models.CharField(_("level"), max_length=1, choices=Level.choices, unique=True)
    months = models.PositiveSmallIntegerField(_("months between patrols"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["level"]
        verbose_name = _("patrol interval")
        verbose_name_plural = _("patrol intervals")
        constraints = [
            models.CheckConstraint(
                condition=Q(months__gte=1), name="patrolinterval_months_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level}: {self.months}"


class TrainingSession(models.Model):
    """Training of C employers' principal and directly responsible persons."""

    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    organiser = models.CharField(_("organiser"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"


class TrainingAttendance(models.Model):
    class Role(models.TextChoices):
        PRINCIPAL = "principal", _("Principal")
        RESPONSIBLE = "responsible", _("Directly responsible person")

    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("session"),
    )
    employer = models.ForeignKey(
        Employer,
        on_delete=models.CASCADE,
        related_name="training_attendances",
        verbose_name=_("employer"),
    )
    person_name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    attended = models.BooleanField(_("attended"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "employer", "id"]
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendances")
        indexes = [
            # watchlist: latest attended training per employer
            models.Index(fields=["employer", "session"], name="attendance_employer_session"),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.employer_id})"


class PartnerKey(AbstractAPIKey):
    """An API key of a partner department (market regulation, tax, trade union...).

    Stored hashed by djangorestframework-api-key; revoke by setting ``revoked``."""

    partner = models.CharField(_("partner department"), max_length=100)

    # who revoked a key and when
    history = HistoricalRecords()

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("partner API key")
        verbose_name_plural = _("partner API keys")


class PartnerAccess(models.Model):
    """One request to the partner API: who, when, what they asked for."""

    key = models.ForeignKey(
        PartnerKey,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accesses",
        verbose_name=_("key"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    path = models.CharField(_("path"), max_length=300)
    query = models.CharField(_("query"), max_length=500, blank=True)
    status_code = models.PositiveSmallIntegerField(_("status"))
    rows = models.PositiveIntegerField(_("rows returned"), default=0)
    remote_addr = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("partner API access")
        verbose_name_plural = _("partner API accesses")
        indexes = [
            # partner keys page: last access and recent accesses of each key
            models.Index(fields=["key", "-at"], name="partneraccess_key_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.path}"
