import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import UnitScopedFilterSet, yes_no_filter
from core.workdays import add_workdays_estimated
from employers.filters import unit_filter
from inspections.items import Item

from .models import DUE_SOON_WORKDAYS, Complaint, ComplaintItem, DeadlineExtension


class Deadline:
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    OPEN = "open"
    CHOICES = [
        (OVERDUE, _("Overdue")),
        (DUE_SOON, _("Due within 3 working days")),
        (OPEN, _("All open")),
    ]


def parse_month(value: str) -> tuple[int, int] | None:
    """ "2026-02" (what <input type=month> sends) -> (2026, 2); anything else -> None."""
    try:
        parsed = datetime.datetime.strptime(value.strip(), "%Y-%m")  # noqa: DTZ007 - a month, no time
    except ValueError:
        return None
    return parsed.year, parsed.month


class ComplaintFilter(UnitScopedFilterSet):
    q = django_filters.CharFilter(label=_("Number or employer"), method="filter_text")
    unit = unit_filter()
    channel = django_filters.ChoiceFilter(
        choices=Complaint.Channel.choices, label=_("Channel"), empty_label=_("All channels")
    )
    item = django_filters.ChoiceFilter(
        choices=Item.choices, label=_("Item"), empty_label=_("All items"), method="filter_item"
    )
    status = django_filters.ChoiceFilter(
        choices=Complaint.Status.choices, label=_("Status"), empty_label=_("All statuses")
    )
    month = django_filters.CharFilter(
        label=_("Month received"),
        method="filter_month",
        widget=forms.DateInput(attrs={"type": "month", "placeholder": "2026-02"}),
    )
    deadline = django_filters.ChoiceFilter(
        choices=Deadline.CHOICES,
        label=_("Deadline"),
        empty_label=_("Any"),
        method="filter_deadline",
    )
    extension = django_filters.ChoiceFilter(
        choices=DeadlineExtension.Status.choices,
        label=_("Extension"),
        empty_label=_("Any"),
        method="filter_extension",
    )
    needs_registry = yes_no_filter(_("Employer not in registry"))

    class Meta:
        model = Complaint
        fields = [
            "q",
            "unit",
            "channel",
            "item",
            "status",
            "month",
            "deadline",
            "extension",
            "needs_registry",
        ]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(employer__name__icontains=value)
            | Q(employer__credit_code=value.upper())
            | Q(unregistered_name__icontains=value)
        )

    def filter_item(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        # EXISTS rather than a join: a complaint alleging several items appears once.
        return queryset.filter(
            Exists(ComplaintItem.objects.filter(complaint=OuterRef("pk"), item=value))
        )

    def filter_extension(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(
            Exists(DeadlineExtension.objects.filter(complaint=OuterRef("pk"), status=value))
        )

    def filter_month(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        month = parse_month(value or "")
        if month is None:
            return queryset
        year, number = month
        first = datetime.date(year, number, 1)
        after = datetime.date(year + (number == 12), number % 12 + 1, 1)
        return queryset.filter(received_on__gte=first, received_on__lt=after)

    def filter_deadline(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        today = timezone.localdate()
        if value == Deadline.OVERDUE:
            return queryset.overdue(today)
        if value == Deadline.DUE_SOON:
            last_day, _estimated = add_workdays_estimated(today, DUE_SOON_WORKDAYS)
            return queryset.due_by(today, last_day)
        if value == Deadline.OPEN:
            return queryset.open()
        return queryset
