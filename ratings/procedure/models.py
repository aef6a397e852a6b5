"""Notices (告知) and objections (异议) of ratings.

A notice is a snapshot of the rating it tells (level, clauses, cases, rule-set version): the
rating changes later, the letter must not. Registered in the ratings app (imported at the end of
``ratings.models``)."""

import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.fields import random_upload_name, user_fk
from core.models import StoredFile, YearlyCounter
from employers.models import EmployerRecordQuerySet, employer_fk

from ..models import RatingResult, YearlyEvaluation


def procedure_upload_to(instance: models.Model, filename: str) -> str:
    """A random name under procedure/YYYY/MM/: what a user typed never reaches a path."""
    return random_upload_name("procedure", filename)


class NoticeNumberCounter(YearlyCounter):
    """Serials of notice letters (西青人社信告〔YYYY〕N号)."""


class ObjectionNumberCounter(YearlyCounter):
    """Serials of objection decision letters (西青人社信复〔YYYY〕N号)."""


class NoticeQuerySet(EmployerRecordQuerySet):
    def unserved(self) -> "NoticeQuerySet":
        return self.filter(served_on__isnull=True)

    def overdue(self, today: datetime.date) -> "NoticeQuerySet":
        """Not served and the due day has passed (the due day itself is still in time)."""
        return self.filter(served_on__isnull=True, due_on__lt=today)


class Notice(RatingResult):
    """告知: the employer is told its level, the reasons, the basis and its remedies. The rating
    fields (level, clauses, rule-set version) are the rating told, as it was."""

    class Kind(models.TextChoices):
        ROLLING = "rolling", _("Level became C")
        YEARLY = "yearly", _("Yearly evaluation")

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        POST = "post", _("By post")
        ELECTRONIC = "electronic", _("Electronically")
        ANNOUNCEMENT = "announcement", _("Public announcement (employer unreachable)")

    employer = employer_fk("notices")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    yearly_evaluation = models.OneToOneField(
        YearlyEvaluation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notice",
        verbose_name=_("yearly evaluation"),
    )
    level_since = models.DateField(_("at this level since"), null=True, blank=True)
    changed_on = models.DateField(
        _("level changed on"), help_text=_("The day the engine recorded the level.")
    )
    due_on = models.DateField(_("notice due by"))
    due_estimated = models.BooleanField(_("due date estimated"), default=False)
    document_number = models.CharField(
        _("document number"), max_length=60, blank=True, help_text=_("Given when first issued.")
    )
    issued_on = models.DateField(_("letter issued on"), null=True, blank=True)
    # service
    method = models.CharField(
        _("served by way of"), max_length=14, choices=Method.choices, blank=True
    )
    served_on = models.DateField(_("served on"), null=True, blank=True)
    served_by = user_fk(_("served by"))
    receipt = models.FileField(
        _("receipt"), upload_to=procedure_upload_to, max_length=200, blank=True
    )
    receipt_name = models.CharField(_("receipt file name"), max_length=255, blank=True)
    receipt_content_type = models.CharField(_("receipt content type"), max_length=50, blank=True)
    service_note = models.CharField(_("note on service"), max_length=300, blank=True)
    objection_until = models.DateField(_("objections until"), null=True, blank=True)
    objection_until_estimated = models.BooleanField(default=False)
    # objection_until + 1 day: the day the listing is final when nobody objects
    final_unopposed_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.UniqueConstraint(
                fields=["document_number"],
                condition=~Q(document_number=""),
                name="notice_number_unique",
            ),
        ]
        indexes = [
            # the due and overdue list: unserved notices by due date
            models.Index(
                fields=["due_on"], name="notice_unserved_due", condition=Q(served_on__isnull=True)
            ),
            # the current notice of an employer (partner finality)
            models.Index(fields=["employer", "kind", "-created_at"], name="notice_employer_kind"),
        ]

    def __str__(self) -> str:
        return self.document_number or f"{self.employer_id}: {self.level} ({self.changed_on})"

    @property
    def served(self) -> bool:
        return self.served_on is not None

    def is_overdue(self, today: datetime.date) -> bool:
        return self.served_on is None and self.due_on < today

    @property
    def case_ids(self) -> list[int]:
        return sorted({item["id"] for clause in self.clauses for item in clause.get("cases", [])})


class ObjectionQuerySet(EmployerRecordQuerySet):
    def open(self) -> "ObjectionQuerySet":
        return self.filter(outcome="")

    def overdue(self, today: datetime.date) -> "ObjectionQuerySet":
        return self.filter(outcome="", decision_due_on__lt=today)


def objection_open_exists(employer_ref: str = "pk") -> Exists:
    """True for an employer with an objection under review (异议处理中): one definition, used
    by the employer page, the watchlist and the partner list."""
    return Exists(Objection.objects.filter(employer=OuterRef(employer_ref), outcome=""))


class Objection(models.Model):
    """异议: the employer contests the rating a notice told it."""

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        POST = "post", _("By post")
        ELECTRONIC = "electronic", _("Electronically")

    class Ground(models.TextChoices):
        FACTS = "facts", _("The facts are wrong")
        WITHDRAWN = "withdrawn", _("A case was withdrawn or annulled")
        RECTIFIED = "rectified", _("Already rectified or performed")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("Upheld")
        PARTLY = "partly", _("Partly upheld")
        REJECTED = "rejected", _("Rejected")

    notice = models.ForeignKey(
        Notice, on_delete=models.PROTECT, related_name="objections", verbose_name=_("notice")
    )
    employer = employer_fk("objections")
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    ground = models.CharField(_("grounds"), max_length=12, choices=Ground.choices)
    text = models.TextField(_("what the employer says"))
    reviewer = user_fk(_("reviewer"), required=True, related_name="objections_to_review")
    decision_due_on = models.DateField(_("decision due by"))
    decision_due_estimated = models.BooleanField(default=False)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    recorded_by = user_fk(_("recorded by"), blank=False)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        ordering = ["decision_due_on", "id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        indexes = [
            models.Index(fields=["employer"], name="objection_open", condition=Q(outcome="")),
        ]

    def __str__(self) -> str:
        return f"{self.employer_id} {self.received_on}"

    @property
    def is_open(self) -> bool:
        return self.outcome == ""

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_open and self.decision_due_on < today


class ObjectionAttachment(StoredFile):
    """A file the employer handed in with its objection."""

    objection = models.ForeignKey(
        Objection, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("objection")
    )
    file = models.FileField(_("file"), upload_to=procedure_upload_to, max_length=200)

    class Meta:
        ordering = ["id"]
        verbose_name = _("objection attachment")
        verbose_name_plural = _("objection attachments")
