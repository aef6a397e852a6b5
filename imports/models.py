"""The record of every spreadsheet import, whichever importer ran it."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import user_fk


class ImportState(models.TextChoices):
    """Where the import stands. Moved on only by ``imports.jobs`` with a conditional
    UPDATE, so two workers (or two confirms) cannot both move it."""

    UPLOADED = "uploaded", _("Uploaded")
    VALIDATING = "validating", _("Reading")
    PREVIEWED = "previewed", _("Previewed")
    WRITING = "writing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class ImportBatch(models.Model):
    """One spreadsheet import (roster or case ledger): who, when, which file, what it did.

    Bulk writes bypass per-row history; this record is their audit trail. The table keeps the
    name it had when the model lived in ``employers``: moving the model moved no row."""

    class Kind(models.TextChoices):
        ROSTER = "roster", _("Employer roster")
        CASES = "cases", _("Case ledger")

    State = ImportState

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.UPLOADED
    )
    user = user_fk(_("imported by"))
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
    # What the admin chose on the preview (e.g. the unit taken from the file name).
    options = models.JSONField(_("options"), default=dict, blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)
    # Progress of the running step, stored every chunk: the pages poll it.
    rows_total = models.PositiveIntegerField(_("rows (estimate)"), null=True, blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_validated = models.PositiveIntegerField(_("rows validated"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    step_started_at = models.DateTimeField(_("step started at"), null=True, blank=True)
    # A worker that dies (killed, out of memory) stops beating; the batch is then failed.
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)

    class Meta:
        db_table = "employers_importbatch"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ImportState.values),
                name="importbatch_state_known",
            ),
        ]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def working(self) -> bool:
        """A worker reads or writes the file now (the page polls)."""
        return self.state in (
            self.State.UPLOADED,
            self.State.VALIDATING,
            self.State.WRITING,
        )

    @property
    def summary(self) -> str:
        """The summary line of SPEC section 7."""
        return (
            f"created={self.created} updated={self.updated} "
            f"unchanged={self.unchanged} rejected={self.rejected}"
        )
