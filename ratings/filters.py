"""Filters of the engine's lists: early warning and the yearly evaluation."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import condition_filter
from employers.filters import EmployerRowFilterSet
from inspections.models import Case

from .models import Level, YearlyEvaluation


class EarlyWarningFilter(EmployerRowFilterSet):
    measure = condition_filter(
        _("Measure"),
        _("Both measures"),
        [
            ("order", _("Order to correct"), Q(order_due_on__isnull=False)),
            ("decision", _("Handling decision"), Q(decision_due_on__isnull=False)),
        ],
    )

    class Meta:
        model = Case
        fields = ["unit", "measure"]


class YearlyEvaluationFilter(EmployerRowFilterSet):
    # The view picks the year's evaluations; the field keeps the year in the filter form.
    year = django_filters.NumberFilter(label=_("Year"), method="filter_year")
    q = django_filters.CharFilter(label=_("Name or credit code"), method="filter_employer")
    level = django_filters.ChoiceFilter(
        choices=Level.choices, label=_("Level"), empty_label=_("All levels")
    )
    notified = condition_filter(
        _("Notification"),
        _("All"),
        [
            ("yes", _("Notified"), Q(notified_on__isnull=False)),
            ("no", _("Not notified"), Q(notified_on__isnull=True)),
        ],
    )

    class Meta:
        model = YearlyEvaluation
        fields = ["year", "q", "unit", "level", "notified"]

    def filter_year(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset
