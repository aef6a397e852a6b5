"""Reads of the complaints app: scoped fetches, the ledger counts, the export rows."""

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

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


LEDGER_HEADER = [
    pgettext_lazy("ledger", "Number"),
    pgettext_lazy("ledger", "Kind"),
    pgettext_lazy("ledger", "Channel"),
    pgettext_lazy("ledger", "Received on"),
    pgettext_lazy("ledger", "Complainant"),
    pgettext_lazy("ledger", "ID number"),
    pgettext_lazy("ledger", "Phone"),
    pgettext_lazy("ledger", "Address"),
    pgettext_lazy("ledger", "Employer"),
    pgettext_lazy("ledger", "Unified social credit code"),
    pgettext_lazy("ledger", "Area unit"),
    pgettext_lazy("ledger", "Items"),
    pgettext_lazy("ledger", "Workers involved"),
    pgettext_lazy("ledger", "Amount involved (yuan)"),
    pgettext_lazy("ledger", "Allegations"),
    pgettext_lazy("ledger", "Status"),
    pgettext_lazy("ledger", "Acceptance decision due"),
    pgettext_lazy("ledger", "Decided on"),
    pgettext_lazy("ledger", "Reason for not accepting"),
    pgettext_lazy("ledger", "Case number"),
    pgettext_lazy("ledger", "Case opened on"),
    pgettext_lazy("ledger", "Investigation due"),
    pgettext_lazy("ledger", "Extension (working days)"),
    pgettext_lazy("ledger", "Outcome"),
    pgettext_lazy("ledger", "Complainant answered on"),
    pgettext_lazy("ledger", "Closed on"),
    pgettext_lazy("ledger", "Assigned inspectors"),
]


def ledger_header() -> list[str]:
    return [str(label) for label in LEDGER_HEADER]


def ledger_rows(
    queryset: QuerySet, user: AbstractBaseUser, revealed: list[Complaint]
) -> Iterator[list[Any]]:
    """One row per complaint in the ledger (台账) layout. The identity columns are unmasked
    only where ``user`` may see them for that row; each such complaint is appended to
    ``revealed`` so the caller can log the access."""
    kinds = dict(Complaint.Kind.choices)
    channels = dict(Complaint.Channel.choices)
    statuses = dict(Complaint.Status.choices)
    reasons = dict(Complaint.RejectionReason.choices)
    outcomes = dict(Complaint.Outcome.choices)
    for complaint in queryset:
        may_see = complaint.identity_visible_to(user)
        identity = complaint.identity(masked=not may_see)
        if may_see and not complaint.anonymous:
            revealed.append(complaint)
        extension = complaint.approved_extension
        yield [
            complaint.number,
            str(kinds.get(complaint.kind, "")),
            str(channels.get(complaint.channel, "")),
            complaint.received_on,
            _("Anonymous") if identity.anonymous else identity.name,
            identity.id_number,
            identity.phone,
            identity.address,
            complaint.employer_display_name,
            complaint.employer.credit_code if complaint.employer_id else "",
            complaint.unit.name,
            "、".join(line.get_item_display() for line in complaint.items.all()),
            complaint.workers_involved,
            complaint.amount_involved,
            complaint.description_for(masked=not may_see),
            str(statuses.get(complaint.status, "")),
            complaint.acceptance_due_on,
            complaint.decided_on,
            " ".join(
                filter(
                    None,
                    [str(reasons.get(complaint.rejection_reason, "")), complaint.rejection_note],
                )
            ),
            complaint.case.number if complaint.case_id else "",
            complaint.case.opened_on if complaint.case_id else None,
            complaint.investigation_due_on,
            extension.workdays if extension else None,
            " ".join(
                filter(None, [str(outcomes.get(complaint.outcome, "")), complaint.outcome_note])
            ),
            complaint.answered_on,
            complaint.closed_on,
            "、".join(u.get_full_name() or u.get_username() for u in complaint.inspectors.all()),
        ]
