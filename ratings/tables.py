"""Columns of the engine's lists: early warning and the yearly evaluation."""

import datetime

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from core.tables import employer_card, table_attrs, unit_column
from inspections.models import Case

from .models import YearlyEvaluation


def level_badge(level: str | None) -> str:
    if not level:
        return "—"
    return format_html('<span class="badge level-badge level-{0}">{0}</span>', level)


class EarlyWarningTable(tables.Table):
    due_on = tables.Column(verbose_name=_("Deadline"), order_by=("due_on", "id"))
    days_left = tables.Column(verbose_name=_("Days left"), empty_values=(), orderable=False)
    employer = tables.Column(
        verbose_name=_("Employer"), linkify=True, order_by=("employer__name", "id")
    )
    unit = unit_column("employer__unit__code", accessor="employer__unit")
    number = tables.Column(verbose_name=_("Case number"), linkify=True)
    measures = tables.Column(verbose_name=_("Measure due"), empty_values=(), orderable=False)
    level = tables.Column(
        verbose_name=_("Current level"), accessor="employer__rating__level", orderable=False
    )

    card = employer_card(
        code="number",
        badge="level",
        link="number",
        dates=("due_on", "days_left"),
        extra=("measures",),
    )

    class Meta:
        model = Case
        fields = ("due_on", "days_left", "employer", "unit", "number", "measures", "level")
        order_by = ("due_on",)
        empty_text = _("No order or decision deadline falls within the next 7 days.")
        attrs = table_attrs("early-warning")

    def __init__(self, *args, today: datetime.date, **kwargs) -> None:
        self.today = today
        super().__init__(*args, **kwargs)

    def render_due_on(self, value: datetime.date) -> str:
        return value.isoformat()

    def render_days_left(self, record: Case) -> str:
        days = (record.due_on - self.today).days
        if days == 0:
            return _("Due today")
        return _("%(days)s days") % {"days": days}

    def render_measures(self, record: Case) -> str:
        parts = []
        if record.order_due_on:
            parts.append(
                _("Order to correct, deadline %(date)s") % {"date": record.order_due_on.isoformat()}
            )
        if record.decision_due_on:
            parts.append(
                _("Handling decision, deadline %(date)s")
                % {"date": record.decision_due_on.isoformat()}
            )
        return pgettext("clause separator", "; ").join(str(p) for p in parts)

    def render_level(self, record: Case) -> str:
        # the stored letter: the column's value is the choice's label ("C级（不守法诚信）")
        rating = getattr(record.employer, "rating", None)
        return level_badge(rating.level if rating else None)


class YearlyEvaluationTable(tables.Table):
    credit_code = tables.Column(
        verbose_name=_("Credit code"),
        accessor="employer__credit_code",
        order_by=("employer__credit_code",),
    )
    employer = tables.Column(
        verbose_name=_("Employer"), accessor="employer__name", order_by=("employer__name", "id")
    )
    unit = unit_column("employer__unit__code", accessor="employer__unit")
    level = tables.Column(verbose_name=_("Level"))
    clause_codes = tables.Column(verbose_name=_("Clauses"))
    notified_on = tables.Column(verbose_name=_("Notified on"))
    actions = tables.Column(verbose_name="", empty_values=(), orderable=False)

    card = employer_card(
        code="credit_code",
        badge="level",
        dates=("notified_on",),
        extra=("clause_codes", "actions"),
    )

    class Meta:
        model = YearlyEvaluation
        fields = ("credit_code", "employer", "unit", "level", "clause_codes", "notified_on")
        order_by = ("employer",)
        empty_text = _("No evaluation matches these filters.")
        attrs = table_attrs("yearly")

    def render_employer(self, value: str, record: YearlyEvaluation) -> str:
        return format_html('<a href="{}">{}</a>', record.employer.get_absolute_url(), value)

    def render_level(self, record: YearlyEvaluation) -> str:
        # the stored letter: the column's value is the choice's label
        return level_badge(record.level)

    def render_notified_on(self, value: datetime.date | None) -> str:
        return value.isoformat() if value else "—"

    def render_actions(self, record: YearlyEvaluation) -> str:
        return format_html(
            '<a class="btn btn-sm btn-outline-secondary" href="{}">{}</a>',
            reverse("ratings:yearly_notified", kwargs={"pk": record.pk}),
            _("Notification date"),
        )
