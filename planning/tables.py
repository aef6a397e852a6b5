"""Columns of the planning lists. Rows are employers annotated by ``planning.selectors``."""

import datetime

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.cards import Card
from core.tables import NOWRAP, WIDE_ONLY, WIDE_ONLY_NOWRAP, date_column, table_attrs, unit_column
from ratings.procedure.selectors import OBJECTION_OPEN_LABEL

from .models import TrainingSession
from .selectors import CLAUSE_SHORT_TEXT, date_from_due_key, date_key, last_patrol_on

# Phones: the unit moves under the employer name, dates do not wrap, clause statements show
# only from large screens on (the code badge carries the statement as its title).


def _employer_cell(record, value: str) -> str:
    return format_html(
        '{}<div class="small text-muted font-monospace">{}</div>'
        '<div class="small text-muted d-md-none">{}</div>',
        value,
        record.credit_code,
        record.unit.name,
    )


def _name_column() -> tables.Column:
    """The employer's name, linked to its page, with its credit code (and, on phones, its unit)
    under it (``render_name``)."""
    return tables.Column(verbose_name=_("Employer"), linkify=True, order_by=("name", "id"))


def _clauses_column() -> tables.Column:
    return tables.Column(
        verbose_name=_("Clauses"), accessor="rating__clause_codes", orderable=False
    )


def _last_patrol_column(attrs: dict) -> tables.Column:
    return tables.Column(
        verbose_name=_("Last patrol"),
        accessor="last_patrol_key",
        empty_values=(),
        order_by=("last_patrol_key", "id"),
        attrs=attrs,
    )


def _next_due_column() -> tables.Column:
    return tables.Column(
        verbose_name=_("Next patrol due"),
        accessor="due_key",
        order_by=("patrol_due_on", "id"),
        attrs=NOWRAP,
    )


def clause_items(codes: str) -> list[tuple[str, str]]:
    """("C2", short text) for each code of "C2;C4"."""
    return [
        (code, str(CLAUSE_SHORT_TEXT.get(code, ""))) for code in codes.split(";") if code.strip()
    ]


class _EmployerRowsTable(tables.Table):
    """A list of employers: the name cell shows the credit code and, on phones, the unit."""

    def render_name(self, record, value: str) -> str:
        return _employer_cell(record, value)


class _DueColumnsMixin:
    """Shared rendering of the last patrol, next due and overdue columns."""

    def __init__(self, *args, today: datetime.date, **kwargs) -> None:
        self.today = today
        self.today_key = date_key(today)
        super().__init__(*args, **kwargs)

    def render_last_patrol(self, record) -> str:
        last = last_patrol_on(record)
        return last.isoformat() if last else _("Never")

    def render_next_due(self, record) -> str:
        due = date_from_due_key(record.due_key)
        if record.due_key < self.today_key:
            days = (self.today - due).days
            return format_html(
                '{}<div><span class="badge text-bg-danger" data-testid="overdue">{}</span></div>',
                due.isoformat(),
                _("overdue %(days)s d") % {"days": days},
            )
        return due.isoformat()


class WatchlistTable(_DueColumnsMixin, _EmployerRowsTable):
    # Units are created in code order, so the unit id gives the order of the codes, and the
    # (unit, name, id) employer index serves it: PostgreSQL walks employers in that order and
    # stops at the page's last C instead of joining and sorting every C employer.
    unit = unit_column("unit_id", "name", "id", accessor="unit__name", attrs=WIDE_ONLY)
    name = _name_column()
    clauses = _clauses_column()
    since = date_column(_("C since"), accessor="rating__since", attrs=WIDE_ONLY_NOWRAP)
    last_patrol = _last_patrol_column(WIDE_ONLY_NOWRAP)
    next_due = _next_due_column()
    training = tables.Column(
        verbose_name=_("Training"),
        accessor="trained_on",
        empty_values=(),
        order_by=("trained_on",),
    )

    card = Card(
        title="name",
        dates=("next_due", "last_patrol"),
        extra=("clauses", "training"),
    )

    class Meta:
        order_by = ("unit",)
        empty_text = _("No C-level employers match these filters.")
        attrs = table_attrs("watchlist")

    def render_clauses(self, record, value: str) -> str:
        clauses = format_html_join(
            "",
            '<div><span class="badge text-bg-danger me-1" title="{1}">{0}</span>'
            '<span class="small d-none d-lg-inline">{1}</span></div>',
            clause_items(value),
        )
        if getattr(record, "objection_open", False):
            # 异议处理中: the C is not final while an objection is under review.
            return format_html(
                '{}<span class="badge text-bg-warning" data-testid="watchlist-objection-open">'
                "{}</span>",
                clauses,
                OBJECTION_OPEN_LABEL,
            )
        return clauses

    def render_training(self, value: datetime.date | None) -> str:
        if value:
            return format_html(
                '<span class="text-success">{}</span>',
                _("Trained %(date)s") % {"date": value.isoformat()},
            )
        return format_html(
            '<span class="badge text-bg-warning" data-testid="untrained">{}</span>', _("Untrained")
        )


class PatrolDueTable(_DueColumnsMixin, _EmployerRowsTable):
    unit = unit_column("unit__code", "patrol_due_on", accessor="unit__name", attrs=WIDE_ONLY)
    name = _name_column()
    level = tables.Column(
        verbose_name=_("Level"),
        order_by=("level", "patrol_due_on"),
        attrs={"th": {"class": "text-nowrap"}},
    )
    last_patrol = _last_patrol_column(NOWRAP)
    next_due = _next_due_column()

    card = Card(
        title="name",
        badge="level",
        dates=("next_due", "last_patrol"),
    )

    class Meta:
        order_by = ("next_due",)
        empty_text = _("No patrols are due in this period.")
        attrs = table_attrs("patrols-due")

    def render_level(self, value: str) -> str:
        css = {"A": "success", "B": "primary", "C": "danger"}.get(value, "secondary")
        return format_html('<span class="badge text-bg-{}">{}</span>', css, value)


class UntrainedTable(_EmployerRowsTable):
    """C employers nobody from which attended a training since they became C."""

    unit = unit_column("unit__code", "name", accessor="unit__name", attrs=WIDE_ONLY)
    name = _name_column()
    clauses = _clauses_column()
    since = date_column(_("C since"), accessor="rating__since", attrs=NOWRAP)

    card = Card(
        title="name",
        dates=("since",),
        extra=("clauses",),
    )

    class Meta:
        order_by = ("since",)
        empty_text = _("Every C-level employer has been trained since it became C.")
        attrs = table_attrs("untrained")

    def render_clauses(self, value: str) -> str:
        return format_html_join(
            " ", '<span class="badge text-bg-danger" title="{1}">{0}</span>', clause_items(value)
        )


class TrainingSessionTable(tables.Table):
    held_on = date_column(_("Date"))
    topic = tables.Column(
        verbose_name=_("Topic"), linkify=("planning:training_detail", {"pk": tables.A("pk")})
    )
    organiser = tables.Column(verbose_name=_("Organiser"))
    attendee_count = tables.Column(
        verbose_name=_("Attended"), attrs={"td": {"class": "text-end"}}, orderable=False
    )

    card = Card(
        title="topic",
        dates=("held_on",),
        extra=("organiser", "attendee_count"),
    )

    class Meta:
        model = TrainingSession
        fields = ("held_on", "topic", "organiser", "attendee_count")
        order_by = ("-held_on",)
        empty_text = _("No training sessions recorded yet.")
        attrs = table_attrs()
