"""How one row of a list reads on a phone: a card.

Below the ``md`` breakpoint a table of many columns cannot be read (names squeezed to one
character a line, columns cut off), so every list's rows turn into cards there. The markup stays
one table (nothing is rendered twice): the shared table template
(core/templates/core/lists/table.html) marks each cell with its role on the card and site.css lays
the row out as a card below ``md``; from ``md`` up it is the ordinary table.

A table declares which of its columns its card shows with a ``card = Card(...)`` class
attribute; every other column is hidden on the card. A table without a spec gets a card of its
first columns, so no list is left scrolling sideways.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

TITLE, CODE, UNIT, BADGE, DATE, EXTRA, HIDE = (
    "title",
    "code",
    "unit",
    "badge",
    "date",
    "extra",
    "hide",
)


@dataclass(frozen=True)
class Card:
    # the card's heading: the employer's name (the column's link, if any, becomes the tap target)
    title: str
    # small monospace line under the title: a credit code, a case or complaint number; a column,
    # or a function of the record for a code no column shows (printed under the title on phones)
    code: str | Callable[[Any], str] | None = None
    # the area unit: a column, or a function of the record
    unit: str | Callable[[Any], str] | None = None
    # the column at the card's top right: the level badge, an outcome or a deadline clock
    badge: str | None = None
    # the one or two dates that matter for this list, each labelled with its column header
    dates: tuple[str, ...] = ()
    # further columns, labelled likewise (status, clauses, an action)
    extra: tuple[str, ...] = ()
    # the column whose link the whole card opens, when it is not the title's (a case number)
    link: str | None = None

    def roles(self, column_names: list[str]) -> dict[str, str]:
        """Column name -> its role on the card; columns the table lacks are left out (an
        extension's column where the extension is not installed)."""
        roles = dict.fromkeys(column_names, HIDE)
        named = [(self.title, TITLE), (self.badge, BADGE)]
        named += [(self.code, CODE), (self.unit, UNIT)]
        named += [(name, DATE) for name in self.dates] + [(name, EXTRA) for name in self.extra]
        for name, role in named:
            if isinstance(name, str) and name in roles:
                roles[name] = role
        return roles

    def positions(self, column_names: list[str]) -> dict[str, int]:
        """Column name -> its place among the dates or among the further columns, as the spec
        lists them (a phone card shows the next patrol due before the last patrol whatever
        the table's column order)."""
        places = {name: i for i, name in enumerate(self.dates)}
        places.update({name: i for i, name in enumerate(self.extra)})
        return {name: places.get(name, 0) for name in column_names}

    def sub_line(self, record: Any) -> list[str]:
        """The code and unit given as functions (no column of the table shows them)."""
        return [str(part(record) or "") for part in (self.code, self.unit) if callable(part)]


def default_card(column_names: list[str]) -> Card:
    """The first column as the title, the next three as labelled lines."""
    return Card(title=column_names[0] if column_names else "", extra=tuple(column_names[1:4]))


# An employer printed as "name (credit code)" (its __str__): the code in brackets at the end of
# the title's link text.
_TRAILING_CREDIT_CODE = re.compile(r"\s*[(（]([0-9A-HJ-NPQRTUWXY]{18})[)）](?=\s*(?:</a>)?\s*$)")


def title_html(html: str) -> str:
    """The title cell with a trailing "(credit code)" wrapped in ``span.card-title-code``: the
    table shows it, a phone card leaves it out (the name fits one line; the card's code line
    or the employer page has the code)."""
    escaped = conditional_escape(html)  # a plain string is escaped, a rendered cell kept
    marked = _TRAILING_CREDIT_CODE.sub(r' <span class="card-title-code">(\1)</span>', escaped)
    return mark_safe(marked)  # escaped above; the span holds only a credit code


# --- the rows of a page, rendered in one pass ------------------------------------------------
#
# django-tables2 renders a cell through BoundRow.get_cell: it inspects the render method's
# signature on every cell, rebuilds the column's attributes and header on every cell, and the
# template then runs a loop with filters per cell. A page of 50 rows cost hundreds of thousands
# of function calls. ``RowRenderer`` works out once per page what is the same for every row
# (the cell's attributes, card role and label, the render method's arguments) and gives each
# row the same cells django-tables2 would: the same value lookup (``get_FOO_display`` for a
# field with choices), empty values, render methods, links and escaping.

_MISSING = object()
_CELL_ARGUMENTS = ("value", "record", "column", "bound_column", "bound_row", "table")


def _has_callable(attrs: Any) -> bool:
    if callable(attrs):
        return True
    if isinstance(attrs, dict):
        return any(_has_callable(value) for value in attrs.values())
    return False


class _ColumnPlan:
    """What one column's cells share on a page."""

    def __init__(self, bound_column: Any, role: str, position: int, is_link: bool, context):
        from django.template.base import render_value_in_context
        from django_tables2.utils import Accessor, signature

        column = bound_column.column
        self.bound_column = bound_column
        self.column = column
        self.name = bound_column.name
        self.role = role
        self.accessor = Accessor(bound_column.accessor)
        self.render = bound_column.render
        self.template = _column_template(column)
        if self.template is not None:
            self.render = self._render_template
        self.args, self.catch_all = signature(self.render)
        self.link = bound_column.link
        self.default = bound_column.default
        self.empty_values = column.empty_values
        self.localize = bound_column.localize
        self.is_link_column = _is_link_column(column)
        self.link_text = getattr(column, "text", None)
        self.is_many = _is_many_column(column)
        # (record type, penultimate type) -> how to read the choice's label, or None
        self.display: dict[tuple[type, type], Callable[[Any], Any] | None] = {}
        declared = dict(bound_column._table.attrs) | dict(column.attrs)
        self.dynamic_attrs = _has_callable(declared.get("td", declared.get("cell", {})))
        label = render_value_in_context(bound_column.header, context)
        place = f' data-card-pos="{position}"' if role in (DATE, EXTRA) else ""
        self.rest = f' data-card="{role}"{place} data-label="{label}"'
        if is_link:
            self.rest += " data-card-link"
        self.opening = "" if self.dynamic_attrs else self.td_opening()

    def td_opening(self) -> str:
        return f"<td {self.bound_column.attrs['td'].as_html()}{self.rest}>"

    def value(self, record: Any) -> Any:
        """The cell's value as BoundRow._get_and_render_with finds it, or _MISSING when the
        lookup failed on a link column with a fixed text (rendered without a value)."""
        from django.core.exceptions import FieldDoesNotExist
        from django.db import models

        value = None
        penultimate, remainder = self.accessor.penultimate(record)
        if isinstance(penultimate, models.Model):
            key = (type(record), type(penultimate))
            display = self.display.get(key, _MISSING)
            if display is _MISSING:
                display = None
                try:
                    field = self.accessor.get_field(record)
                    method = f"get_{remainder}_display"
                    if getattr(field, "choices", ()) and getattr(penultimate, method, None):
                        display = _choice_label(type(penultimate), method, field)
                except FieldDoesNotExist:
                    pass
                self.display[key] = display
            if display is not None:
                value = display(penultimate)
                remainder = None
        if remainder:
            try:
                value = self.accessor.resolve(record)
            except Exception:
                if self.is_link_column and self.link_text is not None:
                    return _MISSING
        return value

    def _render_template(self, record, table, value, bound_column, **kwargs):
        """TemplateColumn.render with its template compiled once for the page, not per cell
        (a DateColumn is one)."""
        from django.template import Context

        parent_context = getattr(table, "context", None) or Context()
        context = self.column.get_context_data(
            record=record, table=table, value=value, bound_column=bound_column, **kwargs
        )
        with parent_context.update(context):
            parent_context["request"] = getattr(table, "request", None)
            return self.template.render(parent_context)

    def cell(self, row: Any, table: Any) -> Any:
        record = row.record
        value = self.value(record)
        if value is not _MISSING:
            if value in self.empty_values or (self.is_many and not value.exists()):
                return self.default
        else:
            value = None
        available = {
            "value": value,
            "record": record,
            "column": self.column,
            "bound_column": self.bound_column,
            "bound_row": row,
            "table": table,
        }
        if self.catch_all:
            content = self.render(**available)
        elif all(arg in available for arg in self.args):
            content = self.render(**{arg: available[arg] for arg in self.args})
        else:
            content = None
        return self.link(content, **available) if self.link else content


def _column_template(column: Any) -> Any:
    """The compiled template of a TemplateColumn given as code whose rendering is the stock
    one, else None."""
    from django.template import Template
    from django_tables2.columns.templatecolumn import TemplateColumn

    if not isinstance(column, TemplateColumn) or not column.template_code:
        return None
    if type(column).render is not TemplateColumn.render:
        return None
    return Template(column.template_code)


def _choice_label(model: type, method: str, field: Any) -> Callable[[Any], Any]:
    """``instance.get_FOO_display()``; Django's own (which rebuilds the choices dict on every
    call) read from one dict built here, a model's own override called as it is."""
    from functools import partialmethod

    from django.db import models
    from django.utils.encoding import force_str
    from django.utils.hashable import make_hashable

    declared = next((k.__dict__[method] for k in model.__mro__ if method in k.__dict__), None)
    stock = isinstance(declared, partialmethod) and declared.func is models.Model._get_FIELD_display
    if not stock or declared.keywords.get("field") is not field:
        return lambda instance: getattr(instance, method)()
    choices = dict(make_hashable(field.flatchoices))
    attname = field.attname

    def label(instance: Any) -> Any:
        value = getattr(instance, attname)
        return force_str(choices.get(make_hashable(value), value), strings_only=True)

    return label


def _is_link_column(column: Any) -> bool:
    from django_tables2.columns.linkcolumn import BaseLinkColumn

    return isinstance(column, BaseLinkColumn)


def _is_many_column(column: Any) -> bool:
    from django_tables2.columns.manytomanycolumn import ManyToManyColumn

    return isinstance(column, ManyToManyColumn)


class RowRenderer:
    """The ``<tr>`` of every row of the table's page, as core/lists/table.html used to print
    them one cell at a time."""

    def __init__(self, table: Any, context: Any) -> None:
        names = [column.name for column in table.columns]
        spec = getattr(table, "card", None) or default_card(names)
        roles, positions = spec.roles(names), spec.positions(names)
        link_column = spec.link or spec.title
        self.table = table
        self.spec = spec
        self.context = context
        self.plans = [
            _ColumnPlan(
                column,
                roles.get(column.name, HIDE),
                positions.get(column.name, 0),
                column.name == link_column,
                context,
            )
            for column in table.columns
        ]
        self.has_sub_line = any(callable(part) for part in (spec.code, spec.unit))
        self.static_row_attrs = not _has_callable(table.row_attrs)
        self.row_openings: dict[str, str] = {}

    def _row_opening(self, row: Any) -> str:
        if not self.static_row_attrs:
            return f"<tr {row.attrs.as_html()} data-list-row>"
        parity = row.get_even_odd_css_class()
        opening = self.row_openings.get(parity)
        if opening is None:
            opening = self.row_openings[parity] = f"<tr {row.attrs.as_html()} data-list-row>"
        return opening

    def _content(self, plan: _ColumnPlan, cell: Any, record: Any) -> str:
        from django.template.base import render_value_in_context
        from django.templatetags.l10n import localize, unlocalize

        if plan.role == TITLE:
            html = render_value_in_context(title_html(cell), self.context)
            if self.has_sub_line:
                sub = " · ".join(part for part in self.spec.sub_line(record) if part)
                if sub:
                    sub = render_value_in_context(sub, self.context)
                    html += f'<div class="card-sub small text-muted d-md-none">{sub}</div>'
            return html
        if plan.localize is None:
            return render_value_in_context(cell, self.context)
        shown = localize(cell) if plan.localize else unlocalize(cell)
        return render_value_in_context(shown, self.context)

    def render(self, rows: Any) -> str:
        """``rows``: the table's BoundRows of the page (``table.paginated_rows``)."""
        from django_tables2.rows import BoundRow

        table = self.table
        out: list[str] = []
        for row in rows:
            record = row.record
            if type(row) is BoundRow:
                out.append(self._row_opening(row))
            else:  # a pinned row: its own attributes
                out.append(f"<tr {row.attrs.as_html()} data-list-row>")
            for plan in self.plans:
                cell = plan.cell(row, table)
                if plan.dynamic_attrs:
                    plan.bound_column.current_value = cell
                    plan.bound_column.current_record = record
                    out.append(plan.td_opening())
                else:
                    out.append(plan.opening)
                out.append(self._content(plan, cell, record))
                out.append("</td>")
            out.append("</tr>")
        return mark_safe("".join(out))  # every part escaped as the template escaped it
