"""Filters of the planning lists: the C watchlist and the patrols-due list."""

import datetime

import django_filters
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.filters import UnitScopedFilterSet, inspector_filter
from core.roles import Role, sees_whole_district
from employers.filters import name_or_code, unit_filter
from employers.models import Employer
from ratings.models import Level

from .selectors import CLAUSE_SHORT_TEXT, clause_filter, filter_overdue, filter_untrained

YES_ONLY = [("1", _("Yes"))]


def _yes_only(label: str, empty_label: str, method: str) -> django_filters.ChoiceFilter:
    """Yes (the rows ``method`` keeps) or all rows (``empty_label``)."""
    return django_filters.ChoiceFilter(
        label=label, choices=YES_ONLY, empty_label=empty_label, method=method
    )


class _DueFilterSet(UnitScopedFilterSet):
    """Employers by unit (narrowed to the inspector's own units); ``today`` and the patrol
    ``intervals`` fix the overdue test."""

    unit = unit_filter()

    def __init__(
        self,
        *args,
        user: AbstractBaseUser | None = None,
        today: datetime.date,
        intervals: dict[str, int],
        **kwargs,
    ) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.today = today
        self.intervals = intervals

    def filter_overdue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return filter_overdue(queryset, self.today, self.intervals) if value else queryset


class WatchlistFilter(_DueFilterSet):
    q = django_filters.CharFilter(label=_("Name or credit code"), method="filter_text")
    clause = django_filters.ChoiceFilter(
        label=_("Clause"),
        # lazy: the option text follows the reader's language, not the one active at import
        choices=[
            (code, format_lazy("{} {}", code, text)) for code, text in CLAUSE_SHORT_TEXT.items()
        ],
        empty_label=_("All clauses"),
        method="filter_clause",
    )
    overdue = _yes_only(_("Patrol overdue"), _("Any"), "filter_overdue")
    untrained = _yes_only(_("Untrained"), _("Any"), "filter_untrained")

    class Meta:
        model = Employer
        fields = ["q", "unit", "clause", "overdue", "untrained"]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return name_or_code(queryset, value)

    def filter_clause(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(clause_filter(value)) if value else queryset

    def filter_untrained(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return filter_untrained(queryset) if value else queryset


class PatrolDueFilter(_DueFilterSet):
    """Filters of the patrols-due list (the view limits it to what is due soon or overdue)."""

    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=Level.choices, empty_label=_("All levels"), method="filter_level"
    )
    inspector = inspector_filter(
        queryset=get_user_model().objects.filter(groups__name=Role.INSPECTOR, is_active=True),
        method="filter_inspector",
    )
    overdue = _yes_only(_("Overdue only"), _("Due or overdue"), "filter_overdue")

    class Meta:
        model = Employer
        fields = ["unit", "level", "inspector", "overdue"]

    def __init__(self, *args, user: AbstractBaseUser | None = None, **kwargs) -> None:
        super().__init__(*args, user=user, **kwargs)
        if user is not None and not sees_whole_district(user):
            # An inspector's list is already their units; choosing a colleague means nothing.
            del self.filters["inspector"]
            self.form.fields.pop("inspector", None)

    def filter_level(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        if value == Level.A:
            # Employers not rated yet count as A.
            return queryset.filter(level=Level.A)
        return queryset.filter(rating__level=value)

    def filter_inspector(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(unit__inspectors=value) if value else queryset
