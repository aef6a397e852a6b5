"""Filters of the notice and objection lists (the user's own units only)."""

import datetime

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employers.filters import EmployerRowFilterSet

from .models import Notice, Objection


class _UnitFilterSet(EmployerRowFilterSet):
    q = django_filters.CharFilter(label=_("Name or credit code"), method="filter_q")

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(employer__name__icontains=value) | queryset.filter(
            employer__credit_code__iexact=value.upper()
        )


def _today() -> datetime.date:
    return timezone.localdate()


class NoticeFilter(_UnitFilterSet):
    STATUS = [
        ("due", _("Not served yet")),
        ("overdue", _("Overdue")),
        ("served", _("Served")),
    ]
    status = django_filters.ChoiceFilter(
        choices=STATUS, label=_("Status"), empty_label=_("Any status"), method="filter_status"
    )
    kind = django_filters.ChoiceFilter(
        choices=Notice.Kind.choices, label=_("Kind"), empty_label=_("Both kinds")
    )

    class Meta:
        model = Notice
        fields = ["q", "status", "kind", "unit"]

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "due":
            return queryset.filter(served_on__isnull=True)
        if value == "overdue":
            return queryset.overdue(_today())
        if value == "served":
            return queryset.filter(served_on__isnull=False)
        return queryset


class ObjectionFilter(_UnitFilterSet):
    STATUS = [
        ("open", _("Under review")),
        ("overdue", _("Overdue")),
        ("decided", _("Decided")),
        ("mine", _("Assigned to me")),
    ]
    status = django_filters.ChoiceFilter(
        choices=STATUS, label=_("Status"), empty_label=_("Any status"), method="filter_status"
    )

    class Meta:
        model = Objection
        fields = ["q", "status", "unit"]

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "open":
            return queryset.open()
        if value == "overdue":
            return queryset.overdue(_today())
        if value == "decided":
            return queryset.exclude(outcome="")
        if value == "mine":
            return queryset.filter(reviewer=self.user, outcome="")
        return queryset
