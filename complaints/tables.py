import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from .models import Complaint


def clock_badge(complaint: Complaint) -> SafeString:
    """The deadline cell: date, working days left, coloured when overdue or due soon."""
    return SafeString(
        render_to_string(
            "complaints/_clock.html",
            {"clock": complaint.clock(timezone.localdate()), "complaint": complaint},
        )
    )


class ComplaintTable(tables.Table):
    """The ledger on screen. The complainant is always masked here: a list is read over many
    shoulders; the unmasked identity is shown only on the complaint's own page."""

    number = tables.Column(linkify=True, verbose_name=_("Number"))
    received_on = tables.DateColumn(format="Y-m-d", verbose_name=_("Received on"))
    channel = tables.Column(verbose_name=_("Channel"))
    employer = tables.Column(
        empty_values=(),
        verbose_name=_("Employer"),
        order_by=("employer__name", "unregistered_name"),
    )
    unit = tables.Column(verbose_name=_("Area unit"), order_by=("unit__code",))
    complainant = tables.Column(empty_values=(), orderable=False, verbose_name=_("Complainant"))
    items = tables.Column(empty_values=(), orderable=False, verbose_name=_("Items"))
    status = tables.Column(verbose_name=_("Status"))
    due_on = tables.Column(
        empty_values=(), verbose_name=_("Next deadline"), order_by=("due_on", "received_on")
    )

    class Meta:
        model = Complaint
        fields = (
            "number",
            "received_on",
            "channel",
            "employer",
            "unit",
            "complainant",
            "items",
            "status",
            "due_on",
        )
        order_by = ("-received_on",)
        empty_text = _("No complaints match these filters.")
        row_attrs = {"data-testid": "complaint-row"}

    def render_employer(self, record: Complaint) -> str:
        if record.employer_id:
            return record.employer.name
        return format_html(
            '{} <span class="badge text-bg-warning">{}</span>',
            record.unregistered_name,
            _("not in registry"),
        )

    def render_complainant(self, record: Complaint) -> str:
        identity = record.identity(masked=True)
        return _("Anonymous") if identity.anonymous else identity.name

    def render_items(self, record: Complaint) -> str:
        return "、".join(line.get_item_display() for line in record.items.all())

    def render_due_on(self, record: Complaint) -> SafeString:
        return clock_badge(record)
