"""The record of every spreadsheet import, whichever importer ran it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One spreadsheet import (roster or case ledger): who, when, which file, what it did.

    Bulk writes bypass per-row history; this record is their audit trail. The table keeps the
    name it had when the model lived in ``employers``: moving the model moved no row."""

    class Kind(models.TextChoices):
        ROSTER = "roster", _("Employer roster")
        CASES = "cases", _("Case ledger")

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Previewed")
        COMMITTED = "committed", _("Imported")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    upload = models.FileField(_("uploaded file"), upload_to="imports/%Y/%m/", blank=True)
    report = models.FileField(
        _("rejected rows report"), upload_to="import-reports/%Y/%m/", blank=True
    )
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    message = models.TextField(_("message"), blank=True)
    # What the preview page shows without reading the file again: the header row, the sheet,
    # identical repeated rows dropped, and the first rejected rows (row, column, value, reason).
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)

    class Meta:
        db_table = "employers_importbatch"
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def summary(self) -> str:
        """The summary line of SPEC section 7."""
        return (
            f"created={self.created} updated={self.updated} "
            f"unchanged={self.unchanged} rejected={self.rejected}"
        )
