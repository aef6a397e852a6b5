"""Coverage results (one per unit per month), the runs that produced them, digest deliveries
and the scheduler heartbeat.

Why a row per check (``CoverageCheck``) rather than one JSON document per result: the ids behind
a failure can run to tens of thousands (every stale employer of a large town), and the matrix and
the 12-month trend must not drag them along. Separate rows let those pages ``defer`` the ids,
let the database enforce one row per check, and let a check be filtered in SQL ("every unit that
failed the patrol check this year") without parsing JSON.
"""

import datetime

from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import optional_fk, user_fk
from employers.models import Unit


class CheckCode(models.TextChoices):
    """The five duties the notice holds each unit to, in the order the matrix shows them."""

    NEW_EMPLOYERS = "new_employers", _("Employers added")
    VERIFIED = "verified", _("Records verified in 12 months")
    C_PATROLLED = "c_patrolled", _("C employers patrolled in time")
    COMPLAINTS = "complaints", _("Complaints within their deadlines")
    REVIEWS = "reviews", _("Returned reviews resubmitted in time")


class CoverageRunQuerySet(models.QuerySet):
    def pending(self) -> "CoverageRunQuerySet":
        return self.filter(status__in=[CoverageRun.Status.QUEUED, CoverageRun.Status.RUNNING])

    def stale(
        self, *, now: datetime.datetime, timeout: datetime.timedelta
    ) -> "CoverageRunQuerySet":
        """Pending runs nobody works on: running without a heartbeat (or start) for
        ``timeout``, or queued for that long without a worker picking them up."""
        cutoff = now - timeout
        last_sign = Coalesce("heartbeat_at", "started_at", "requested_at")
        return (
            self.pending()
            .annotate(last_sign_of_life=last_sign)
            .filter(last_sign_of_life__lt=cutoff)
        )


class CoverageRun(models.Model):
    """One execution of the monthly checks, whoever asked for it (beat, command, dashboard)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Source(models.TextChoices):
        SCHEDULE = "schedule", _("Monthly schedule")
        COMMAND = "command", _("Command line")
        DASHBOARD = "dashboard", _("Dashboard")

    month = models.DateField(_("month"), help_text=_("First day of the month checked."))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    source = models.CharField(_("started from"), max_length=10, choices=Source.choices)
    requested_by = user_fk(_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Written by the worker every few seconds while it measures: a run whose worker died
    # (killed, out of memory, machine restarted) stops beating and is marked failed.
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = CoverageRunQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("coverage run")
        verbose_name_plural = _("coverage runs")
        indexes = [
            # dashboard: the latest run of the month shown
            models.Index(fields=["month", "-requested_at"], name="coveragerun_month_requested"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.get_status_display()}"


class CoverageResult(models.Model):
    """The checks of one unit for one month. A rerun replaces it; never two for a unit-month."""

    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="coverage_results",
        verbose_name=_("area unit"),
    )
    month = models.DateField(_("month"), help_text=_("First day of the month checked."))
    run = optional_fk(CoverageRun, "results", _("run"), on_delete=models.SET_NULL)
    as_of = models.DateField(_("judged as of"))
    checks_passed = models.PositiveSmallIntegerField(_("checks passed"))
    checks_total = models.PositiveSmallIntegerField(_("checks"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["-month", "unit__code"]
        verbose_name = _("coverage result")
        verbose_name_plural = _("coverage results")
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="coverageresult_unit_month"),
        ]
        indexes = [
            # dashboard matrix and 12-month trend: every unit's result for a range of months
            models.Index(fields=["month", "unit"], name="coverageresult_month_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m}: {self.checks_passed}/{self.checks_total}"


class CoverageCheck(models.Model):
    """One check of one result: the figure, the threshold it was held to, and the records behind
    a failure (employer ids, or complaint / written-review ids for those checks)."""

    result = models.ForeignKey(
        CoverageResult,
        on_delete=models.CASCADE,
        related_name="checks",
        verbose_name=_("result"),
    )
    code = models.CharField(_("check"), max_length=20, choices=CheckCode.choices)
    figure = models.DecimalField(_("figure"), max_digits=9, decimal_places=2)
    threshold = models.DecimalField(_("threshold"), max_digits=9, decimal_places=2)
    total = models.PositiveIntegerField(
        _("out of"), null=True, blank=True, help_text=_("How many records the figure is out of.")
    )
    passed = models.BooleanField(_("passed"))
    subject_ids = models.JSONField(_("records behind a failure"), default=list, blank=True)
    # len(subject_ids), so the matrix and the export can show it without loading the ids
    subject_count = models.PositiveIntegerField(_("records behind a failure (count)"), default=0)

    class Meta:
        ordering = ["result", "code"]
        verbose_name = _("coverage check")
        verbose_name_plural = _("coverage checks")
        constraints = [
            models.UniqueConstraint(fields=["result", "code"], name="coveragecheck_result_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.figure} ({'pass' if self.passed else 'fail'})"


class DigestDelivery(models.Model):
    """One daily digest sent to one user; the constraint keeps a rerun from sending twice."""

    user = user_fk(
        _("user"), required=True, on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    sent_on = models.DateField(_("date"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    item_count = models.PositiveIntegerField(_("items"))

    class Meta:
        ordering = ["-sent_on", "user_id"]
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="digest_one_per_user_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.sent_on}: {self.item_count}"


class SchedulerHeartbeat(models.Model):
    """When beat last got a task through the broker to a worker. The web process reads it to warn
    admins; a cache would not do, since web and worker do not share a local-memory cache."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    beat_at = models.DateTimeField(_("last heartbeat"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("scheduler heartbeat")
        verbose_name_plural = _("scheduler heartbeats")

    def __str__(self) -> str:
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M}"
