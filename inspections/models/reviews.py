"""Written reviews (书面审查): the employer's yearly report and its outcome."""

import datetime

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import RecordedUpdated
from employers.models import EmployerRecordQuerySet, employer_fk

from ..items import Item


class WrittenReviewQuerySet(EmployerRecordQuerySet):
    def returned_overdue(self, today: datetime.date) -> "WrittenReviewQuerySet":
        """Returned for resubmission and the resubmission deadline has passed."""
        return self.filter(status=WrittenReview.Status.RETURNED, resubmit_deadline__lt=today)

    def disagreeing_with_registry(self) -> "WrittenReviewQuerySet":
        """The employer declared a name or headcount different from the registry's."""
        return self.filter(
            (~Q(reported_name="") & ~Q(reported_name=F("employer__name")))
            | (
                Q(reported_headcount__isnull=False)
                & (
                    Q(employer__headcount__isnull=True)
                    | ~Q(reported_headcount=F("employer__headcount"))
                )
            )
        )


class WrittenReview(RecordedUpdated):
    """书面审查: the employer's yearly written report on its labour-law compliance."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for resubmission")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        PASSED = "passed", _("Passed")
        PROBLEMS = "problems", _("Problems found")

    employer = employer_fk("written_reviews")
    year = models.PositiveSmallIntegerField(_("year"))
    received_on = models.DateField(_("received on"))
    materials = models.JSONField(
        _("materials submitted"),
        default=list,
        blank=True,
        help_text=_("Evaluation items the employer submitted materials for."),
    )
    complete = models.BooleanField(_("materials complete"), default=False)
    reported_name = models.CharField(
        _("name as reported"),
        max_length=200,
        blank=True,
        help_text=_("The employer name written on the submitted forms."),
    )
    reported_headcount = models.PositiveIntegerField(
        _("headcount as reported"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    returned_reason = models.TextField(_("reason for returning"), blank=True)
    resubmit_deadline = models.DateField(_("resubmission deadline"), null=True, blank=True)
    resubmitted_on = models.DateField(_("resubmitted on"), null=True, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = WrittenReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-received_on", "-id"]
        verbose_name = _("written review")
        verbose_name_plural = _("written reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "year"],
                name="writtenreview_one_per_employer_year",
                violation_error_message=_(
                    "This employer already has a written review for that year."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="returned")
                | (~Q(returned_reason="") & Q(resubmit_deadline__isnull=False)),
                name="writtenreview_returned_needs_reason_deadline",
                violation_error_message=_(
                    "Returning a review needs a reason and a resubmission deadline."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="writtenreview_year_plausible",
                violation_error_message=_("Enter a year between 2000 and 2100."),
            ),
        ]
        indexes = [
            # employer page: reviews newest year first
            models.Index(fields=["employer", "-year"], name="review_employer_year"),
            # review list filtered by year and status
            models.Index(fields=["year", "status"], name="review_year_status"),
            # returned-and-overdue list; coverage check "returned, not resubmitted"
            models.Index(
                fields=["resubmit_deadline"],
                name="review_returned_deadline",
                condition=Q(status="returned"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer.name} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:review_detail", kwargs={"pk": self.pk})

    @property
    def material_labels(self) -> list[str]:
        return [str(Item(code).label) for code in self.materials if code in Item.values]

    @property
    def registry_mismatches(self) -> list[str]:
        """What the employer declared that disagrees with the registry (reads ``employer``)."""
        found = []
        if self.reported_name and self.reported_name != self.employer.name:
            found.append(str(_("name")))
        if (
            self.reported_headcount is not None
            and self.reported_headcount != self.employer.headcount
        ):
            found.append(str(_("headcount")))
        return found

    def is_overdue(self, today: datetime.date) -> bool:
        return (
            self.status == self.Status.RETURNED
            and self.resubmit_deadline is not None
            and self.resubmit_deadline < today
        )
