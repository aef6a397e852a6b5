"""Columns of the lists behind a red cell of the coverage matrix."""

import django_tables2 as tables
from django.urls import NoReverseMatch
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint
from core.cards import Card
from employers.models import Employer
from inspections.models import WrittenReview


class SubjectEmployerTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Name"), orderable=False)
    credit_code = tables.Column(verbose_name=_("Credit code"), orderable=False)
    level = tables.Column(
        accessor="rating__level", verbose_name=_("Level"), default="—", orderable=False
    )
    created_at = tables.DateColumn(verbose_name=_("Added on"), format="Y-m-d", orderable=False)
    verified_on = tables.DateColumn(
        verbose_name=_("Last verified on"), format="Y-m-d", default="—", orderable=False
    )
    status = tables.Column(verbose_name=_("Status"), orderable=False)

    card = Card(
        title="name",
        code="credit_code",
        badge="level",
        dates=("created_at", "verified_on"),
        extra=("status",),
    )

    class Meta:
        model = Employer
        fields = ("name", "credit_code", "level", "created_at", "verified_on", "status")
        empty_text = _("None of these employers is in your units any more.")
        attrs = {
            "class": "table table-sm table-hover align-middle subject-table",
            "data-testid": "cell-records",
        }


class SubjectComplaintTable(tables.Table):
    # Number, employer and clocks only: the complainant's identity stays on the complaint page.
    number = tables.Column(verbose_name=_("Complaint number"), orderable=False)
    employer = tables.Column(
        accessor="employer_display_name", verbose_name=_("Employer"), orderable=False
    )
    received_on = tables.DateColumn(verbose_name=_("Received on"), format="Y-m-d", orderable=False)
    status = tables.Column(verbose_name=_("Status"), orderable=False)
    acceptance_due_on = tables.DateColumn(
        verbose_name=_("Acceptance decision due"), format="Y-m-d", default="—", orderable=False
    )
    investigation_due_on = tables.DateColumn(
        verbose_name=_("Investigation due"), format="Y-m-d", default="—", orderable=False
    )

    card = Card(
        title="employer",
        code="number",
        link="number",
        dates=("received_on", "investigation_due_on"),
        extra=("status",),
    )

    class Meta:
        model = Complaint
        fields = (
            "number",
            "employer",
            "received_on",
            "status",
            "acceptance_due_on",
            "investigation_due_on",
        )
        empty_text = _("None of these complaints is in your units any more.")
        attrs = {
            "class": "table table-sm table-hover align-middle subject-table",
            "data-testid": "cell-records",
        }

    def render_number(self, value: str, record: Complaint) -> SafeString | str:
        try:
            return format_html('<a href="{}">{}</a>', record.get_absolute_url(), value)
        except NoReverseMatch:
            return value


class SubjectReviewTable(tables.Table):
    employer = tables.Column(linkify=True, verbose_name=_("Employer"), orderable=False)
    year = tables.Column(verbose_name=_("Year"), orderable=False)
    returned_on = tables.DateColumn(
        verbose_name=_("Returned on"), format="Y-m-d", default="—", orderable=False
    )
    resubmit_deadline = tables.DateColumn(
        verbose_name=_("Resubmission deadline"), format="Y-m-d", orderable=False
    )
    resubmitted_on = tables.DateColumn(
        verbose_name=_("Resubmitted on"), format="Y-m-d", default="—", orderable=False
    )
    status = tables.Column(verbose_name=_("Status"), orderable=False)

    card = Card(
        title="employer",
        dates=("resubmit_deadline", "resubmitted_on"),
        extra=("year", "status"),
    )

    class Meta:
        model = WrittenReview
        fields = (
            "employer",
            "year",
            "returned_on",
            "resubmit_deadline",
            "resubmitted_on",
            "status",
        )
        empty_text = _("None of these reviews is in your units any more.")
        attrs = {
            "class": "table table-sm table-hover align-middle subject-table",
            "data-testid": "cell-records",
        }
