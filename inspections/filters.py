"""List filters for patrols, written reviews and cases."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import InspectorChoiceFilter, UnitScopedFilterSet
from employers.credit_code import normalise_credit_code
from employers.models import Unit

from .items import Item
from .models import Case, Patrol, PatrolCheck, WrittenReview


def _employer_text(queryset: QuerySet, value: str) -> QuerySet:
    value = value.strip()
    if not value:
        return queryset
    code = normalise_credit_code(value)
    if len(code) == 18:
        return queryset.filter(employer__credit_code=code)
    return queryset.filter(
        Q(employer__name__icontains=value) | Q(employer__credit_code__startswith=code)
    )


class _EmployerRecordFilterSet(UnitScopedFilterSet):
    """Filters of records hanging off an employer, searched by the employer's name or code."""

    def filter_employer(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _employer_text(queryset, value)


class PatrolFilter(_EmployerRecordFilterSet):
    q = django_filters.CharFilter(label=_("Employer name or credit code"), method="filter_employer")
    unit = django_filters.ModelChoiceFilter(
        field_name="employer__unit",
        queryset=Unit.objects.all(),
        label=_("Area unit"),
        empty_label=_("All units"),
    )
    inspector = InspectorChoiceFilter(
        field_name="inspectors",
        queryset=get_user_model().objects.none(),
        label=_("Inspector"),
        empty_label=_("All inspectors"),
    )
    date_from = django_filters.DateFilter(
        field_name="patrolled_on",
        lookup_expr="gte",
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="patrolled_on",
        lookup_expr="lte",
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
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


class ReviewFilter(_EmployerRecordFilterSet):
    q = django_filters.CharFilter(label=_("Employer name or credit code"), method="filter_employer")
    unit = django_filters.ModelChoiceFilter(
        field_name="employer__unit",
        queryset=Unit.objects.all(),
        label=_("Area unit"),
        empty_label=_("All units"),
    )
    year = django_filters.NumberFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(
        choices=WrittenReview.Status.choices, label=_("Status"), empty_label=_("All statuses")
    )
    overdue = django_filters.BooleanFilter(
        label=_("Returned and overdue"),
        method="filter_overdue",
        widget=django_filters.widgets.BooleanWidget(),
    )
    mismatch = django_filters.BooleanFilter(
        label=_("Disagrees with registry"),
        method="filter_mismatch",
        widget=django_filters.widgets.BooleanWidget(),
    )

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


class CaseFilter(_EmployerRecordFilterSet):
    MEASURES = [
        ("order", _("Order to correct")),
        ("decision", _("Handling decision")),
        ("penalty", _("Administrative penalty")),
        ("none", _("No measure")),
        ("serious", _("Judged serious")),
        ("mass_incident", _("Mass incident")),
        ("criminal", _("Criminal liability")),
    ]

    q = django_filters.CharFilter(
        label=_("Case number, employer name or credit code"), method="filter_text"
    )
    unit = django_filters.ModelChoiceFilter(
        field_name="employer__unit",
        queryset=Unit.objects.all(),
        label=_("Area unit"),
        empty_label=_("All units"),
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
    measure = django_filters.ChoiceFilter(
        choices=MEASURES, label=_("Measure"), empty_label=_("Any measure"), method="filter_measure"
    )
    overdue = django_filters.BooleanFilter(
        label=_("Deadline overdue"),
        method="filter_overdue",
        widget=django_filters.widgets.BooleanWidget(),
    )
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
        return _employer_text(queryset, value)

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.with_status(value)

    def filter_measure(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        match value:
            case "order":
                return queryset.filter(order_issued=True)
            case "decision":
                return queryset.filter(decision_issued=True)
            case "penalty":
                return queryset.filter(penalty_issued=True)
            case "none":
                return queryset.filter(
                    order_issued=False, decision_issued=False, penalty_issued=False
                )
            case "serious":
                return queryset.filter(serious=True)
            case "mass_incident":
                return queryset.filter(mass_incident=True)
            case "criminal":
                return queryset.filter(criminal=True)
        return queryset

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        overdue = queryset.overdue(timezone.localdate())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))
