"""Filters of the engine's lists: early warning and the yearly evaluation."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import UnitScopedFilterSet
from employers.credit_code import normalise_credit_code
from employers.models import Unit
from inspections.models import Case

from .models import Level, YearlyEvaluation


class _EmployerUnitFilterSet(UnitScopedFilterSet):
    """Rows of an employer, filtered by the employer's unit (the user's own units only)."""

    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(),
        label=_("Area unit"),
        empty_label=_("All units"),
        field_name="employer__unit",
    )


class EarlyWarningFilter(_EmployerUnitFilterSet):
    MEASURE_CHOICES = [
        ("order", _("Order to correct")),
        ("decision", _("Handling decision")),
    ]

    measure = django_filters.ChoiceFilter(
        choices=MEASURE_CHOICES,
        label=_("Measure"),
        empty_label=_("Both measures"),
        method="filter_measure",
    )

    class Meta:
        model = Case
        fields = ["unit", "measure"]

    def filter_measure(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "order":
            return queryset.filter(order_due_on__isnull=False)
        if value == "decision":
            return queryset.filter(decision_due_on__isnull=False)
        return queryset


class YearlyEvaluationFilter(_EmployerUnitFilterSet):
    NOTIFIED_CHOICES = [("yes", _("Notified")), ("no", _("Not notified"))]

    # The view picks the year's evaluations; the field keeps the year in the filter form.
    year = django_filters.NumberFilter(label=_("Year"), method="filter_year")
    q = django_filters.CharFilter(label=_("Name or credit code"), method="filter_text")
    level = django_filters.ChoiceFilter(
        choices=Level.choices, label=_("Level"), empty_label=_("All levels")
    )
    notified = django_filters.ChoiceFilter(
        choices=NOTIFIED_CHOICES,
        label=_("Notification"),
        empty_label=_("All"),
        method="filter_notified",
    )

    class Meta:
        model = YearlyEvaluation
        fields = ["year", "q", "unit", "level", "notified"]

    def filter_year(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        code = normalise_credit_code(value)
        if len(code) == 18:
            return queryset.filter(employer__credit_code=code)
        return queryset.filter(
            Q(employer__name__icontains=value) | Q(employer__credit_code__startswith=code)
        )

    def filter_notified(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "yes":
            return queryset.filter(notified_on__isnull=False)
        if value == "no":
            return queryset.filter(notified_on__isnull=True)
        return queryset
