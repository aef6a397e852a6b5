"""Columns that many lists declare alike: dates as ISO days, the area unit, the cell classes
that hide a column on phones; the phone card of a row about an employer."""

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .cards import Card

# Cell classes: a secondary column shown from tablet width up; a date that must not wrap.
WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}
NOWRAP = {"td": {"class": "text-nowrap"}}
WIDE_ONLY_NOWRAP = {
    "th": {"class": "d-none d-md-table-cell"},
    "td": {"class": "d-none d-md-table-cell text-nowrap"},
}


def date_column(verbose_name: Any, **kwargs: Any) -> tables.DateColumn:
    """A date shown as 2026-10-01."""
    return tables.DateColumn(verbose_name=verbose_name, format="Y-m-d", **kwargs)


def unit_column(*order_by: str, **kwargs: Any) -> tables.Column:
    """The row's area unit, sorted by ``order_by`` (the unit's code, then what keeps it stable)."""
    return tables.Column(verbose_name=_("Area unit"), order_by=order_by, **kwargs)


def table_attrs(testid: str = "") -> dict[str, str]:
    """The ``Meta.attrs`` of a compact list table; ``testid`` names it for the browser tests."""
    attrs = {"class": "table table-sm table-hover align-middle"}
    return attrs | {"data-testid": testid} if testid else attrs


def employer_card(**kwargs: Any) -> Card:
    """The phone card of a row about an employer: the ``employer`` column as its title and the
    ``unit`` column under it, then what ``kwargs`` name."""
    return Card(title="employer", unit="unit", **kwargs)
