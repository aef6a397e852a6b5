"""Photos and PDFs attached to patrols, written reviews and cases."""

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from employers.models import Employer

from .cases import Case
from .patrols import Patrol, ScopedQuerySet
from .reviews import WrittenReview

ALLOWED_EVIDENCE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".pdf")


def evidence_upload_to(instance: "EvidenceFile", filename: str) -> str:
    """A random name under evidence/YYYY/MM/: the original name is kept on the row only, so
    nothing a user typed ends up in a path."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in ALLOWED_EVIDENCE_EXTENSIONS:
        suffix = ""
    today = datetime.date.today()  # noqa: DTZ011 - only a folder name
    return f"evidence/{today:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class EvidenceFile(models.Model):
    """A photo or PDF attached to a patrol, a written review or a case.

    Stored under MEDIA_ROOT (outside the static root) and served only by a view that checks
    the user may see the employer."""

    employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        related_name="evidence_files",
        verbose_name=_("employer"),
    )
    patrol = models.ForeignKey(
        Patrol,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence_files",
        verbose_name=_("patrol"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence_files",
        verbose_name=_("case"),
    )
    review = models.ForeignKey(
        WrittenReview,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence_files",
        verbose_name=_("written review"),
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        constraints = [
            models.CheckConstraint(
                condition=Q(patrol__isnull=False, case__isnull=True, review__isnull=True)
                | Q(patrol__isnull=True, case__isnull=False, review__isnull=True)
                | Q(patrol__isnull=True, case__isnull=True, review__isnull=False),
                name="evidence_belongs_to_one_record",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("inspections:evidence_download", kwargs={"pk": self.pk})

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
