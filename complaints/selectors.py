"""Reads of the complaints app: scoped fetches, the ledger counts, the export rows."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import TruncMonth

from core.roles import Role, roles_of

from .models import Complaint, ComplaintItem


def complaints_for_list(user: AbstractBaseUser) -> QuerySet:
    """The user's complaints with what the ledger shows, in a fixed number of queries."""
    return (
        Complaint.objects.visible_to(user)
        .select_related("employer", "unit", "case")
        .prefetch_related(Prefetch("items", queryset=ComplaintItem.objects.order_by("id")))
    )


def may_see_identity_somewhere(user: AbstractBaseUser) -> bool:
    return bool(roles_of(user) & {Role.SUPERVISOR, Role.INSPECTOR})


def ledger_counts(queryset: QuerySet) -> dict[str, Any]:
    """Counts of the (already scoped and filtered) complaints by unit, item, month, status,
    channel and outcome: one aggregate query each."""
    ids = queryset.order_by().values("pk")
    base = Complaint.objects.filter(pk__in=ids).order_by()
    by_unit = list(
        base.values("unit__code", "unit__name").annotate(total=Count("pk")).order_by("unit__code")
    )
    open_by_unit = dict(base.open().values_list("unit__code").annotate(n=Count("pk")).order_by())
    for row in by_unit:
        row["open"] = open_by_unit.get(row["unit__code"], 0)
    item_labels = dict(ComplaintItem._meta.get_field("item").choices)
    by_item = [
        {
            "item": row["item"],
            "label": item_labels.get(row["item"], row["item"]),
            "total": row["total"],
        }
        for row in ComplaintItem.objects.filter(complaint__in=ids)
        .values("item")
        .annotate(total=Count("complaint", distinct=True))
        .order_by("-total", "item")
    ]
    by_month = [
        {"month": row["month"], "total": row["total"]}
        for row in base.annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(total=Count("pk"))
        .order_by("month")
    ]
    statuses = dict(Complaint.Status.choices)
    by_status = [
        {"status": row["status"], "label": statuses[row["status"]], "total": row["total"]}
        for row in base.values("status").annotate(total=Count("pk")).order_by("status")
    ]
    channels = dict(Complaint.Channel.choices)
    by_channel = [
        {"label": channels.get(row["channel"], row["channel"]), "total": row["total"]}
        for row in base.values("channel").annotate(total=Count("pk")).order_by("-total")
    ]
    outcomes = dict(Complaint.Outcome.choices)
    by_outcome = [
        {"label": outcomes.get(row["outcome"], row["outcome"]), "total": row["total"]}
        for row in base.exclude(outcome="")
        .values("outcome")
        .annotate(total=Count("pk"))
        .order_by("-total")
    ]
    return {
        "total": base.count(),
        "by_unit": by_unit,
        "by_item": by_item,
        "by_month": by_month,
        "by_status": by_status,
        "by_channel": by_channel,
        "by_outcome": by_outcome,
    }
