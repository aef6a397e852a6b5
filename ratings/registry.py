"""What the rating engine adds to the employer list: the current level as a badge, the day it
began, and filters by level and by clause (named in settings.EMPLOYER_LIST_EXTENSIONS)."""

import django_filters
import django_tables2 as tables
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from employers.registry import ListExtension

from .models import Level
from .rules import C_CODES, CLAUSE_TITLES
from .selectors import clause_filter
from .tables import level_badge


class LevelColumn(tables.Column):
    """The level as its badge ("C"), not the choice's long label."""

    def render(self, record: object) -> str:
        return level_badge(getattr(getattr(record, "rating", None), "level", None))


def _by_level(queryset: QuerySet, name: str, value: str) -> QuerySet:
    return queryset.filter(rating__level=value) if value else queryset


def _by_clause(queryset: QuerySet, name: str, value: str) -> QuerySet:
    return queryset.filter(clause_filter(value)) if value else queryset


def employer_list_extension() -> ListExtension:
    return ListExtension(
        columns=[
            (
                "level",
                LevelColumn(
                    verbose_name=_("Level"),
                    accessor="rating__level",
                    order_by=("rating__level", "name"),
                    default="—",
                ),
            ),
            (
                "since",
                tables.DateColumn(
                    verbose_name=_("At this level since"),
                    accessor="rating__since",
                    format="Y-m-d",
                    orderable=False,
                    attrs={"td": {"class": "text-nowrap"}},
                ),
            ),
        ],
        filters={
            "level": django_filters.ChoiceFilter(
                label=_("Level"),
                choices=Level.choices,
                empty_label=_("All levels"),
                method=_by_level,
            ),
            "clause": django_filters.ChoiceFilter(
                label=_("Clause"),
                choices=[
                    (code, format_lazy("{} {}", code, CLAUSE_TITLES[code])) for code in C_CODES
                ],
                empty_label=_("All clauses"),
                method=_by_clause,
            ),
        },
        select_related=("rating",),
    )
