from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from employers.models import Employer
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
    employer = models.ForeignKey(
        Employer,
        on_delete=models.CASCADE,
        related_name="training_attendances",
        verbose_name=_("employer"),
    )
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
