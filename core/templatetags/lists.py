"""Phone-first lists: the cards of a table and the folded filter form with its chips."""

from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.http import QueryDict

from core.cards import RowRenderer
from core.text import join_list

register = template.Library()

# Filter fields that stay on top of the list, outside the fold: the text search.
SEARCH_FIELDS = ("q",)


@register.simple_tag(takes_context=True)
def table_rows(context: Any, table: Any) -> str:
    """The ``<tr>`` of every row of the table's page, each cell marked with its card role
    (core.cards.RowRenderer: what is the same for every row is worked out once)."""
    return RowRenderer(table, context).render(table.paginated_rows)


@register.filter
def label_of(pairs: Any, key: str) -> str:
    """The label of ``key`` in (key, label) pairs: ``{{ checks|label_of:code }}``."""
    return str(dict(pairs).get(key, key))


@dataclass
class Chip:
    label: str
    value: str
    remove_url: str


@dataclass
class FilterParts:
    search: list[forms.BoundField]
    others: list[forms.BoundField]
    chips: list[Chip]


def _display(field: forms.Field, value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return join_list(_display(field, v) for v in value)
    if isinstance(field, forms.NullBooleanField):
        choices = dict(getattr(field.widget, "choices", ()))
        key = {True: "true", False: "false"}.get(value, "unknown")
        return str(choices.get(key, value))
    if isinstance(field, forms.ModelChoiceField):
        return field.label_from_instance(value)
    if isinstance(field, forms.ChoiceField):
        for key, label in field.choices:
            if str(key) == str(value):
                return str(label)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _chips(filterset: Any) -> list[Chip]:
    form = filterset.form
    data: QueryDict = filterset.data or QueryDict()
    if not form.is_bound or not form.is_valid():
        return []
    chips = []
    for name, field in form.fields.items():
        if name in SEARCH_FIELDS:
            continue
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()) or not data.get(name):
            continue
        rest = data.copy()
        rest.pop(name, None)
        rest.pop("page", None)
        query = rest.urlencode()
        chips.append(
            Chip(
                label=str(field.label or name),
                value=_display(field, value),
                remove_url=f"?{query}" if query else "?",
            )
        )
    return chips


@register.simple_tag
def filter_parts(filterset: Any) -> FilterParts:
    """The search field(s) for the top, the other fields for the fold, the active filters."""
    search, others = [], []
    for bound in filterset.form:
        if bound.name in SEARCH_FIELDS:
            bound.field.widget.attrs.setdefault("placeholder", bound.label)
            search.append(bound)
        else:
            others.append(bound)
    return FilterParts(search=search, others=others, chips=_chips(filterset))
