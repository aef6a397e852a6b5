import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .credit_code import normalise_credit_code
from .models import Employer, Unit


class StyledFilterSet(django_filters.FilterSet):
    """A FilterSet whose widgets carry Bootstrap classes; every list's filters build on it."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            input_type = getattr(field.widget, "input_type", "")
            css = "form-select" if input_type == "select" else "form-control"
            if input_type == "checkbox":
                css = "form-check-input"
            field.widget.attrs.setdefault("class", css)


class EmployerFilter(StyledFilterSet):
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

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:
            # An inspector picks only among their own units.
            from core.roles import sees_whole_district

            if not sees_whole_district(user):
                # The form is already built (StyledFilterSet styles it), so narrow the field too.
                own_units = Unit.objects.filter(inspectors=user)
                self.filters["unit"].queryset = own_units
                self.form.fields["unit"].queryset = own_units

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        code = normalise_credit_code(value)
        if len(code) == 18:
            return queryset.filter(credit_code=code)
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__startswith=code))
