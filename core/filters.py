"""The filter sets every list builds on: Bootstrap styling and the inspector's own units."""

from collections.abc import Sequence
from typing import Any

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .forms import style_widgets
from .roles import Role, sees_whole_district

YES_NO_ANY = [("unknown", _("Any")), ("true", _("Yes")), ("false", _("No"))]
# django-filter's BooleanWidget sends "" for "either"; its own labels are translated once, when
# the filter class is defined, so they would stay in the language of the first request.
BOOLEAN_ANY = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]


class StyledFilterSet(django_filters.FilterSet):
    """A FilterSet whose widgets carry Bootstrap classes; every list's filters build on it."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self.form)
        for field in self.form.fields.values():
            if isinstance(field.widget, forms.NullBooleanSelect):
                # Django's own "Unknown" reads as a value; every other filter says "Any".
                field.widget.choices = YES_NO_ANY
            elif isinstance(field.widget, django_filters.widgets.BooleanWidget):
                field.widget.choices = BOOLEAN_ANY


class _InspectorField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class InspectorChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice of inspector, shown by full name."""

    field_class = _InspectorField


def condition_filter(
    label: str, empty_label: str, conditions: Sequence[tuple[str, Any, Q]]
) -> django_filters.ChoiceFilter:
    """A choice among named conditions on the rows: each (value, its label, the Q of the rows
    it keeps)."""
    keep = {value: condition for value, _label, condition in conditions}
    return django_filters.ChoiceFilter(
        label=label,
        empty_label=empty_label,
        choices=[(value, text) for value, text, _condition in conditions],
        method=lambda queryset, name, value: queryset.filter(keep[value]),
    )


def inspector_filter(**kwargs) -> InspectorChoiceFilter:
    """A choice of one inspector, or all of them."""
    return InspectorChoiceFilter(label=_("Inspector"), empty_label=_("All inspectors"), **kwargs)


def yes_no_filter(label: str, method: str | None = None) -> django_filters.BooleanFilter:
    """Yes, no or either (``BOOLEAN_ANY``): of the field of the filter's name, or as the
    filter set's ``method`` answers."""
    return django_filters.BooleanFilter(
        label=label, method=method, widget=django_filters.widgets.BooleanWidget()
    )


class UnitScopedFilterSet(StyledFilterSet):
    """Unit (and inspector) choices narrowed to what the user may see: an inspector picks only
    among their own units and the inspectors of those units.

    Subclasses declare a ``unit`` filter over all units (and optionally an ``inspector``
    filter); the narrowing filters those querysets by ``inspectors=user``, so this floor never
    imports the unit model."""

    def __init__(self, *args, user: AbstractBaseUser | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if user is None:
            return
        units = self.filters["unit"].queryset if "unit" in self.filters else None
        if units is not None and not sees_whole_district(user):
            units = units.filter(inspectors=user)
            self._narrow("unit", units)
        if "inspector" in self.filters:
            inspectors = get_user_model().objects.filter(groups__name=Role.INSPECTOR)
            if units is not None:
                inspectors = inspectors.filter(units__in=units)
            self._narrow("inspector", inspectors.distinct().order_by("first_name", "username"))

    def _narrow(self, name: str, queryset) -> None:
        # The styled base class has already built the form: narrow both the filter and the
        # form field it made.
        self.filters[name].queryset = queryset
        self.form.fields[name].queryset = queryset
