"""Photos and PDFs attached to patrols, written reviews and cases."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import PHOTO_OR_PDF_EXTENSIONS, optional_fk, random_upload_name, user_fk
from core.models import StoredFile
from employers.models import EmployerRecordQuerySet, employer_fk

from .cases import Case
from .patrols import Patrol
from .reviews import WrittenReview

ALLOWED_EVIDENCE_EXTENSIONS = PHOTO_OR_PDF_EXTENSIONS


def evidence_upload_to(instance: "EvidenceFile", filename: str) -> str:
    """A random name under evidence/YYYY/MM/: the original name is kept on the row only, so
    nothing a user typed ends up in a path."""
    return random_upload_name("evidence", filename)


class EvidenceFile(StoredFile):
    """A photo or PDF attached to a patrol, a written review or a case.

    Stored under MEDIA_ROOT (outside the static root) and served only by a view that checks
    the user may see the employer."""

    employer = employer_fk("evidence_files")
    patrol = optional_fk(Patrol, "evidence_files", _("patrol"))
    case = optional_fk(Case, "evidence_files", _("case"))
    review = optional_fk(WrittenReview, "evidence_files", _("written review"))
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=200)
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = user_fk(_("uploaded by"))

    history = HistoricalRecords()
    objects = EmployerRecordQuerySet.as_manager()

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

    def get_absolute_url(self) -> str:
        return reverse("inspections:evidence_download", kwargs={"pk": self.pk})

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
