import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import UnitScopedFilterSet

from .credit_code import normalise_credit_code
from .models import Employer, Unit


class EmployerFilter(UnitScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("Name or credit code"), method="filter_text", help_text=""
    )
    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), label=_("Area unit"), empty_label=_("All units")
    )
    kind = django_filters.ChoiceFilter(
        choices=Employer.Kind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    status = django_filters.ChoiceFilter(
        choices=Employer.Status.choices, label=_("Status"), empty_label=_("All statuses")
    )

    class Meta:
        model = Employer
        fields = ["q", "unit", "kind", "status"]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return name_or_code(queryset, value)


def name_or_code(queryset: QuerySet, value: str, prefix: str = "") -> QuerySet:
    """Employers whose name contains the text, or whose credit code is it (18 characters) or
    starts with it; ``prefix`` ("employer__") for rows that belong to an employer."""
    value = value.strip()
    if not value:
        return queryset
    code = normalise_credit_code(value)
    if len(code) == 18:
        return queryset.filter(**{f"{prefix}credit_code": code})
    return queryset.filter(
        Q(**{f"{prefix}name__icontains": value}) | Q(**{f"{prefix}credit_code__startswith": code})
    )
