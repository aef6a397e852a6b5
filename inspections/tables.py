"""List columns for patrols, written reviews and cases."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.tables import date_column, employer_card, unit_column
from core.text import join_list

from .models import Case, Patrol, WrittenReview


def _people(users) -> str:
    return join_list(u.get_full_name() or u.get_username() for u in users)


def _employer_column(link) -> tables.Column:
    """The employer's name, linked to ``link(record)``."""
    return tables.Column(verbose_name=_("Employer"), linkify=link, order_by=("employer__name",))


def _unit_column() -> tables.Column:
    return unit_column("employer__unit__code", accessor="employer__unit__name")


class PatrolTable(tables.Table):
    patrolled_on = date_column(_("Patrol date"), linkify=True)
    employer = _employer_column(lambda record: record.employer.get_absolute_url())
    unit = _unit_column()
    inspectors = tables.Column(verbose_name=_("Inspectors"), orderable=False, empty_values=())
    outcome = tables.Column(verbose_name=_("Outcome"))

    card = employer_card(
        badge="outcome",
        link="patrolled_on",
        dates=("patrolled_on",),
        extra=("inspectors",),
    )

    class Meta:
        model = Patrol
        fields = ("patrolled_on", "employer", "unit", "inspectors", "outcome")
        order_by = ("-patrolled_on",)
        empty_text = _("No patrols match these filters.")

    def render_inspectors(self, record: Patrol) -> str:
        # reads the prefetched inspectors: no query per row
        return _people(record.inspectors.all())

    def render_outcome(self, record: Patrol) -> str:
        css = {
            Patrol.Outcome.COMPLIANT: "text-bg-success",
            Patrol.Outcome.CORRECTED: "text-bg-info",
            Patrol.Outcome.CASE_OPENED: "text-bg-warning",
        }.get(record.outcome, "text-bg-secondary")
        return format_html('<span class="badge {}">{}</span>', css, record.get_outcome_display())


class ReviewTable(tables.Table):
    # the list's link to the review: no other column of it opens the review
    employer = _employer_column(lambda record: record.get_absolute_url())
    unit = _unit_column()
    year = tables.Column(verbose_name=_("Year"))
    received_on = date_column(_("Received on"))
    complete = tables.BooleanColumn(verbose_name=_("Complete"))
    status = tables.Column(verbose_name=_("Status"))
    resubmit_deadline = date_column(_("Resubmission deadline"))

    card = employer_card(
        dates=("received_on", "resubmit_deadline"),
        extra=("year", "status"),
    )

    class Meta:
        model = WrittenReview
        fields = (
            "employer",
            "unit",
            "year",
            "received_on",
            "complete",
            "status",
            "resubmit_deadline",
        )
        order_by = ("-year", "-received_on")
        empty_text = _("No written reviews match these filters.")

    def render_status(self, record: WrittenReview) -> str:
        flags = []
        if record.is_overdue(timezone.localdate()):
            flags.append(format_html('<span class="badge text-bg-danger">{}</span>', _("Overdue")))
        if record.registry_mismatches:
            flags.append(
                format_html('<span class="badge text-bg-warning">{}</span>', _("Registry differs"))
            )
        return format_html(
            "{} {}", record.get_status_display(), format_html_join(" ", "{}", ((f,) for f in flags))
        )


class CaseTable(tables.Table):
    number = tables.Column(linkify=True, verbose_name=_("Case number"))
    employer = _employer_column(lambda record: record.employer.get_absolute_url())
    unit = _unit_column()
    source = tables.Column(verbose_name=_("Source"))
    opened_on = date_column(_("Opened on"))
    measures = tables.Column(verbose_name=_("Measures"), empty_values=(), orderable=False)
    status = tables.Column(verbose_name=_("Status"), empty_values=(), orderable=False)

    card = employer_card(
        code="number",
        link="number",
        dates=("opened_on",),
        extra=("status", "measures"),
    )

    class Meta:
        model = Case
        fields = ("number", "employer", "unit", "source", "opened_on", "measures", "status")
        order_by = ("-opened_on",)
        empty_text = _("No cases match these filters.")

    def render_measures(self, record: Case) -> str:
        today = timezone.localdate()
        parts = [
            format_html('<span class="badge text-bg-light border">{}</span>', m)
            for m in record.measure_labels
        ]
        if record.order_overdue(today) or record.decision_overdue(today):
            parts.append(format_html('<span class="badge text-bg-danger">{}</span>', _("Overdue")))
        if record.serious:
            parts.append(format_html('<span class="badge text-bg-dark">{}</span>', _("Serious")))
        if record.mass_incident:
            parts.append(
                format_html('<span class="badge text-bg-dark">{}</span>', _("Mass incident"))
            )
        return format_html_join(" ", "{}", ((p,) for p in parts)) or "—"

    def render_status(self, record: Case) -> str:
        return record.get_status_display()
