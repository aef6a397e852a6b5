"""The registry's filters, and what the other apps' lists filter employers' rows by: the area
unit and the employer's name or credit code."""

import django_filters
from django.db import connection
from django.db.models import Lookup, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import UnitScopedFilterSet

from .credit_code import normalise_credit_code
from .models import Employer, Unit


def unit_filter(field_name: str = "unit") -> django_filters.ModelChoiceFilter:
    """A choice of area unit (narrowed to the inspector's own by ``UnitScopedFilterSet``)."""
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=Unit.objects.all(),
        label=_("Area unit"),
        empty_label=_("All units"),
    )


class EmployerFilter(UnitScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("Name or credit code"), method="filter_text", help_text=""
    )
    unit = unit_filter()
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


class EmployerRowFilterSet(UnitScopedFilterSet):
    """Filters of rows that belong to an employer (a patrol, a case, a rating): by the
    employer's unit, and ``filter_employer`` for a search by its name or credit code."""

    unit = unit_filter("employer__unit")

    def filter_employer(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return name_or_code(queryset, value, "employer__")


class NamePair(Lookup):
    """``name__pair="物流"``: the name holds the two characters side by side (any case), from
    the GIN index on the pairs PostgreSQL keeps in ``name_bigrams`` (migration employers/0007).
    Registered on the employer's name only."""

    lookup_name = "pair"

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        column = compiler.quote_name_unless_alias(self.lhs.alias)
        rhs, params = self.process_rhs(compiler, connection)
        return f"{column}.name_bigrams @> ARRAY[upper({rhs})]", params


Employer._meta.get_field("name").register_lookup(NamePair)


def name_or_code(queryset: QuerySet, value: str, prefix: str = "") -> QuerySet:
    """Employers whose name contains the text, or whose credit code is it (18 characters) or
    starts with it; ``prefix`` ("employer__") for rows that belong to an employer."""
    value = value.strip()
    if not value:
        return queryset
    code = normalise_credit_code(value)
    if len(code) == 18:
        return queryset.filter(**{f"{prefix}credit_code": code})
    name = Q(**{f"{prefix}name__icontains": value})
    if len(value) == 2 and connection.vendor == "postgresql":
        # Two characters: pg_trgm cannot serve them; the GIN index on the name's pairs of
        # characters can. icontains stays as the exact test.
        name = Q(**{f"{prefix}name__pair": value}) & name
    if not code.isascii() or not code.isalnum():
        # No credit code holds such a character (Chinese text): the name alone decides, and
        # the query stays one index look-up instead of an OR the planner cannot index.
        return queryset.filter(name)
    return queryset.filter(name | Q(**{f"{prefix}credit_code__startswith": code}))
