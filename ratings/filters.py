"""Filters of the rating lists: the C watchlist and the patrols-due list."""

import datetime

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.roles import Role, sees_whole_district
from employers.filters import StyledFilterSet
from employers.models import Employer, Unit

from .models import Level
from .selectors_uses import CLAUSE_SHORT_TEXT, clause_filter, filter_overdue, filter_untrained

YES_ONLY = [("1", _("Yes"))]


class _ScopedUnitFilterSet(StyledFilterSet):
    """Unit choices narrowed to the inspector's own units; ``today`` and the patrol
    ``intervals`` fix the overdue test."""

    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), label=_("Area unit"), empty_label=_("All units")
    )

    def __init__(
        self, *args, user=None, today: datetime.date, intervals: dict[str, int], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.intervals = intervals
        if user is not None and not sees_whole_district(user):
            # The form is already built by StyledFilterSet: narrow its field too.
            units = Unit.objects.filter(inspectors=user)
            self.filters["unit"].queryset = units
            self.form.fields["unit"].queryset = units

    def filter_overdue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return filter_overdue(queryset, self.today, self.intervals) if value else queryset


class WatchlistFilter(_ScopedUnitFilterSet):
    clause = django_filters.ChoiceFilter(
        label=_("Clause"),
        choices=[(code, f"{code} {text}") for code, text in CLAUSE_SHORT_TEXT.items()],
        empty_label=_("All clauses"),
        method="filter_clause",
    )
    overdue = django_filters.ChoiceFilter(
        label=_("Patrol overdue"),
        choices=YES_ONLY,
        empty_label=_("Any"),
        method="filter_overdue",
    )
    untrained = django_filters.ChoiceFilter(
        label=_("Untrained"),
        choices=YES_ONLY,
        empty_label=_("Any"),
        method="filter_untrained",
    )

    class Meta:
        model = Employer
        fields = ["unit", "clause", "overdue", "untrained"]

    def filter_clause(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(clause_filter(value)) if value else queryset

    def filter_untrained(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return filter_untrained(queryset) if value else queryset


def _person_label(user) -> str:
    return user.get_full_name() or user.username


def _inspectors() -> QuerySet:
    return (
        get_user_model()
        .objects.filter(groups__name=Role.INSPECTOR, is_active=True)
        .order_by("username")
    )


class PatrolDueFilter(_ScopedUnitFilterSet):
    """Filters of the patrols-due list (the view limits it to what is due soon or overdue)."""

    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=Level.choices, empty_label=_("All levels"), method="filter_level"
    )
    inspector = django_filters.ModelChoiceFilter(
        label=_("Inspector"),
        queryset=_inspectors(),
        empty_label=_("All inspectors"),
        method="filter_inspector",
    )
    overdue = django_filters.ChoiceFilter(
        label=_("Overdue only"),
        choices=YES_ONLY,
        empty_label=_("Due or overdue"),
        method="filter_overdue",
    )

    class Meta:
        model = Employer
        fields = ["unit", "level", "inspector", "overdue"]

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, user=user, **kwargs)
        if user is not None and not sees_whole_district(user):
            # An inspector's list is already their units; choosing a colleague means nothing.
            del self.filters["inspector"]
            self.form.fields.pop("inspector", None)
        else:
            self.form.fields["inspector"].label_from_instance = _person_label

    def filter_level(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        if value == Level.A:
            # Employers not rated yet count as A.
            return queryset.filter(level=Level.A)
        return queryset.filter(rating__level=value)

    def filter_inspector(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(unit__inspectors=value) if value else queryset
