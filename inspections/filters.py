"""List filters for patrols, written reviews and cases."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import condition_filter, inspector_filter, yes_no_filter
from employers.filters import EmployerRowFilterSet

from .items import Item
from .models import Case, Patrol, PatrolCheck, WrittenReview


def _date_filter(lookup_expr: str, label: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        field_name="patrolled_on",
        lookup_expr=lookup_expr,
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class PatrolFilter(EmployerRowFilterSet):
    q = django_filters.CharFilter(label=_("Employer name or credit code"), method="filter_employer")
    inspector = inspector_filter(field_name="inspectors", queryset=get_user_model().objects.none())
    date_from = _date_filter("gte", _("From"))
    date_to = _date_filter("lte", _("To"))
    outcome = django_filters.ChoiceFilter(
        choices=Patrol.Outcome.choices, label=_("Outcome"), empty_label=_("All outcomes")
    )
    problem_item = django_filters.ChoiceFilter(
        choices=Item.choices,
        label=_("Problem found on"),
        empty_label=_("Any item"),
        method="filter_problem_item",
    )

    class Meta:
        model = Patrol
        fields = ["q", "unit", "inspector", "date_from", "date_to", "outcome", "problem_item"]

    def filter_problem_item(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            pk__in=PatrolCheck.objects.filter(item=value, result=PatrolCheck.Result.PROBLEM).values(
                "patrol_id"
            )
        )


class ReviewFilter(EmployerRowFilterSet):
    q = django_filters.CharFilter(label=_("Employer name or credit code"), method="filter_employer")
    year = django_filters.NumberFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(
        choices=WrittenReview.Status.choices, label=_("Status"), empty_label=_("All statuses")
    )
    overdue = yes_no_filter(_("Returned and overdue"), "filter_overdue")
    mismatch = yes_no_filter(_("Disagrees with registry"), "filter_mismatch")

    class Meta:
        model = WrittenReview
        fields = ["q", "unit", "year", "status", "overdue", "mismatch"]

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        overdue = queryset.returned_overdue(timezone.localdate())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def filter_mismatch(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        flagged = queryset.disagreeing_with_registry()
        return flagged if value else queryset.exclude(pk__in=flagged.values("pk"))


class CaseFilter(EmployerRowFilterSet):
    q = django_filters.CharFilter(
        label=_("Case number, employer name or credit code"), method="filter_text"
    )
    status = django_filters.ChoiceFilter(
        choices=Case.Status.choices,
        label=_("Status"),
        empty_label=_("All statuses"),
        method="filter_status",
    )
    source = django_filters.ChoiceFilter(
        choices=Case.Source.choices, label=_("Source"), empty_label=_("All sources")
    )
    measure = condition_filter(
        _("Measure"),
        _("Any measure"),
        [
            ("order", _("Order to correct"), Q(order_issued=True)),
            ("decision", _("Handling decision"), Q(decision_issued=True)),
            ("penalty", _("Administrative penalty"), Q(penalty_issued=True)),
            (
                "none",
                _("No measure"),
                Q(order_issued=False, decision_issued=False, penalty_issued=False),
            ),
            ("serious", _("Judged serious"), Q(serious=True)),
            ("mass_incident", _("Mass incident"), Q(mass_incident=True)),
            ("criminal", _("Criminal liability"), Q(criminal=True)),
        ],
    )
    overdue = yes_no_filter(_("Deadline overdue"), "filter_overdue")
    year = django_filters.NumberFilter(
        field_name="opened_on", lookup_expr="year", label=_("Year opened")
    )

    class Meta:
        model = Case
        fields = ["q", "unit", "status", "source", "measure", "overdue", "year"]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if value and ("〔" in value or "号" in value or value.isdigit()):
            return queryset.filter(number__contains=value)
        return self.filter_employer(queryset, name, value)

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.with_status(value)

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        overdue = queryset.overdue(timezone.localdate())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))
