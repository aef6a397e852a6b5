import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.cards import Card

from .models import ImportBatch


class ImportBatchTable(tables.Table):
    """Import history for admins: each row links to its preview/result page."""

    created_at = tables.DateTimeColumn(
        verbose_name=_("Started at"),
        format="Y-m-d H:i",
        linkify=("employers:import_detail", {"pk": tables.A("pk")}),
    )
    kind = tables.Column(verbose_name=_("Kind"))
    file_name = tables.Column(verbose_name=_("File name"))
    user = tables.Column(verbose_name=_("Imported by"), default="—")
    state = tables.Column(verbose_name=_("Status"))
    created = tables.Column(verbose_name=_("Created"), attrs={"td": {"class": "text-end"}})
    updated = tables.Column(verbose_name=_("Updated"), attrs={"td": {"class": "text-end"}})
    unchanged = tables.Column(verbose_name=_("Unchanged"), attrs={"td": {"class": "text-end"}})
    rejected = tables.Column(verbose_name=_("Rejected"), attrs={"td": {"class": "text-end"}})

    card = Card(
        title="file_name",
        code="kind",
        link="created_at",
        dates=("created_at",),
        extra=("state", "created", "updated", "rejected"),
    )

    class Meta:
        model = ImportBatch
        fields = (
            "created_at",
            "kind",
            "file_name",
            "user",
            "state",
            "created",
            "updated",
            "unchanged",
            "rejected",
        )
        order_by = ("-created_at",)
        empty_text = _("No imports yet.")
