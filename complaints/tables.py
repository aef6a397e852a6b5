import django_tables2 as tables
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from core.tables import NOWRAP, WIDE_ONLY, date_column, employer_card, unit_column
from core.text import join_list

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
    shoulders; the unmasked identity is shown only on the complaint's own page. Inspectors read
    the ledger on phones: the secondary columns appear from tablet width up."""

    number = tables.Column(linkify=True, verbose_name=_("Number"), attrs=NOWRAP)
    received_on = date_column(_("Received on"), attrs=NOWRAP)
    channel = tables.Column(verbose_name=_("Channel"), attrs=WIDE_ONLY)
    employer = tables.Column(
        empty_values=(),
        verbose_name=_("Employer"),
        order_by=("employer__name", "unregistered_name"),
    )
    unit = unit_column("unit__code", attrs=WIDE_ONLY)
    complainant = tables.Column(empty_values=(), orderable=False, verbose_name=_("Complainant"))
    items = tables.Column(
        empty_values=(), orderable=False, verbose_name=_("Items"), attrs=WIDE_ONLY
    )
    status = tables.Column(verbose_name=_("Status"))
    due_on = tables.Column(empty_values=(), verbose_name=_("Next deadline"))

    card = employer_card(
        code="number",
        link="number",
        dates=("due_on", "received_on"),
        extra=("status",),
    )

    class Meta:
        model = Complaint
        # The clock and the status first: on a phone only the first columns fit.
        fields = (
            "number",
            "due_on",
            "status",
            "employer",
            "complainant",
            "received_on",
            "channel",
            "unit",
            "items",
        )
        sequence = fields
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
        return join_list(line.get_item_display() for line in record.items.all())

    def render_due_on(self, record: Complaint) -> SafeString:
        return clock_badge(record)

    def order_due_on(self, queryset: QuerySet, is_descending: bool) -> tuple[QuerySet, bool]:
        # Complaints without a running clock (paused, decided, closed) go last either way.
        due = (
            F("due_on").desc(nulls_last=True) if is_descending else F("due_on").asc(nulls_last=True)
        )
        return queryset.order_by(due, "received_on", "id"), True
