from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import user_fk
from core.models import Recorded
from employers.models import employer_fk
from ratings.models import Level

# Months between patrols per level until an admin changes them; the one definition the code
# and the tests use (the data migration ratings/0002 keeps its literal values as history).
DEFAULT_INTERVAL_MONTHS = {Level.A: 24, Level.B: 12, Level.C: 3}

# The tables were created by the ratings app; they keep their names, so no row moved.


class PatrolInterval(models.Model):
    """How often an employer of a level must be patrolled; editable by admins."""

    level = models.CharField(_("level"), max_length=1, choices=Level.choices, unique=True)
    months = models.PositiveSmallIntegerField(_("months between patrols"))

    history = HistoricalRecords(table_name="ratings_historicalpatrolinterval")

    class Meta:
        db_table = "ratings_patrolinterval"
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


class TrainingSession(Recorded):
    """Training of C employers' principal and directly responsible persons."""

    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    organiser = models.CharField(_("organiser"), max_length=100)

    history = HistoricalRecords(table_name="ratings_historicaltrainingsession")

    class Meta:
        db_table = "ratings_trainingsession"
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
    employer = employer_fk("training_attendances", on_delete=models.CASCADE)
    person_name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    attended = models.BooleanField(_("attended"), default=True)

    history = HistoricalRecords(table_name="ratings_historicaltrainingattendance")

    class Meta:
        db_table = "ratings_trainingattendance"
        ordering = ["session", "employer", "id"]
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendances")
        indexes = [
            # watchlist: latest attended training per employer
            models.Index(fields=["employer", "session"], name="attendance_employer_session"),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.employer_id})"


class Draw(Recorded):
    """双随机、一公开: one random draw of employers (a share per level) and of inspector pairs.

    ``inputs`` holds everything the draw used, so that ``manage.py replay_draw`` reproduces it
    from the seed alone: the units, the shares, the population (employer ids with their level),
    the inspector pool and, per drawn employer, the recused inspectors and the last patrol's
    pair. ``population_hash`` is the SHA-256 of the population as published."""

    units = models.ManyToManyField(
        "employers.Unit", related_name="draws", verbose_name=_("area units")
    )
    seed = models.BigIntegerField(_("seed"))
    drawn_on = models.DateField(_("drawn on"))
    inputs = models.JSONField(_("inputs"), default=dict)
    population_hash = models.CharField(_("population hash (SHA-256)"), max_length=64)
    publish_by = models.DateField(_("results to be published by"))
    published_on = models.DateField(_("results published on"), null=True, blank=True)
    created_by = user_fk(_("drawn by"))

    class Meta:
        ordering = ["-drawn_on", "-id"]
        verbose_name = _("random inspection draw")
        verbose_name_plural = _("random inspection draws")

    def __str__(self) -> str:
        return f"{self.drawn_on} seed={self.seed}"


class DrawnInspection(models.Model):
    """One employer drawn, with the pair of inspectors drawn for it."""

    draw = models.ForeignKey(
        Draw, on_delete=models.CASCADE, related_name="inspections", verbose_name=_("draw")
    )
    employer = employer_fk("drawn_inspections")
    level = models.CharField(_("level when drawn"), max_length=1, choices=Level.choices)
    first_inspector = user_fk(_("first inspector"))
    second_inspector = user_fk(_("second inspector"))

    class Meta:
        ordering = ["draw", "employer_id"]
        verbose_name = _("drawn inspection")
        verbose_name_plural = _("drawn inspections")
        constraints = [
            models.UniqueConstraint(fields=["draw", "employer"], name="drawn_once_per_draw"),
        ]
        indexes = [
            # my day: the drawn inspections of one inspector
            models.Index(fields=["first_inspector", "draw"], name="drawn_first_inspector"),
            models.Index(fields=["second_inspector", "draw"], name="drawn_second_inspector"),
        ]

    def __str__(self) -> str:
        return f"{self.draw_id}: {self.employer_id}"
