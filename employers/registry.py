"""Columns and filters of the employer list (the registry) contributed by the apps above.

The registry is the ground floor's page, and this floor imports no app above it; yet an inspector
wants the current level on it. An app above declares a ``ListExtension`` and names it in the
setting ``EMPLOYER_LIST_EXTENSIONS`` (dotted paths, in display order); the list view adds its
columns to the table, its filters to the filter set and its ``select_related`` to the query, so
the page still runs one query for its rows. Without the setting the registry is what this floor
alone knows.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

import django_filters
import django_tables2 as tables
from django.conf import settings
from django.db.models import QuerySet
from django.utils.module_loading import import_string

from .filters import EmployerFilter


@dataclass(frozen=True)
class ListExtension:
    # (name, column) pairs appended to the table, after its own columns
    columns: Sequence[tuple[str, tables.Column]] = ()
    # name -> filter; a filter's ``method`` is a callable (queryset, name, value) -> queryset
    filters: dict[str, django_filters.Filter] = field(default_factory=dict)
    # relations the columns read, joined into the one query of the page
    select_related: tuple[str, ...] = ()
    # extra work on the queryset (an annotation), if a column needs more than a join
    prepare: Callable[[QuerySet], QuerySet] | None = None


@cache
def extensions() -> tuple[ListExtension, ...]:
    return tuple(
        import_string(path)() for path in getattr(settings, "EMPLOYER_LIST_EXTENSIONS", ())
    )


def prepare(queryset: QuerySet) -> QuerySet:
    for extension in extensions():
        if extension.select_related:
            queryset = queryset.select_related(*extension.select_related)
        if extension.prepare is not None:
            queryset = extension.prepare(queryset)
    return queryset


def extra_columns() -> list[tuple[str, tables.Column]]:
    return [column for extension in extensions() for column in extension.columns]


@cache
def filter_class() -> type[EmployerFilter]:
    """EmployerFilter with the filters of every extension (a class built once)."""
    declared = {
        name: filter_ for extension in extensions() for name, filter_ in extension.filters.items()
    }
    if not declared:
        return EmployerFilter
    meta = type("Meta", (EmployerFilter.Meta,), {"fields": [*EmployerFilter.Meta.fields]})
    return type("ExtendedEmployerFilter", (EmployerFilter,), {**declared, "Meta": meta})


def filter_names() -> list[str]:
    return list(filter_class().base_filters)
