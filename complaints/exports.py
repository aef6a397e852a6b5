"""The complaint ledger (台账) as .xlsx, declared as its columns.

Identity columns are masked for everyone by default. A user who may see identities (a
supervisor, an assigned inspector) gets them only by asking for them explicitly
(``include_identity``), and then only on the rows they may see; those complaints are collected
in ``revealed`` so the view logs each access like a reveal on the detail page."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.exports import ExportColumn, SheetExport

from .models import Complaint, Identity

_REASONS = dict(Complaint.RejectionReason.choices)
_OUTCOMES = dict(Complaint.Outcome.choices)


@dataclass(frozen=True)
class LedgerRow:
    """One complaint with the identity and allegations as this export may show them."""

    complaint: Complaint
    identity: Identity
    description: str


def _joined(*parts: str) -> str:
    return " ".join(filter(None, parts))


def _c(read: Any) -> Any:
    """A column reading the complaint of a ledger row."""
    return lambda row: read(row.complaint)


def _extension_days(complaint: Complaint) -> int | None:
    extension = complaint.approved_extension
    return extension.workdays if extension else None


class ComplaintLedgerExport(SheetExport):
    filename = "complaints-ledger"
    sheet_title = _("Complaint ledger")
    chunk_size = 1000
    columns = [
        ExportColumn(pgettext_lazy("ledger", "Number"), "complaint.number"),
        ExportColumn(
            pgettext_lazy("ledger", "Kind"), "complaint.kind", labels=Complaint.Kind.choices
        ),
        ExportColumn(
            pgettext_lazy("ledger", "Channel"),
            "complaint.channel",
            labels=Complaint.Channel.choices,
        ),
        ExportColumn(pgettext_lazy("ledger", "Received on"), "complaint.received_on"),
        ExportColumn(
            pgettext_lazy("ledger", "Complainant"),
            lambda row: str(_("Anonymous")) if row.identity.anonymous else row.identity.name,
        ),
        ExportColumn(pgettext_lazy("ledger", "ID number"), "identity.id_number"),
        ExportColumn(pgettext_lazy("ledger", "Phone"), "identity.phone"),
        ExportColumn(pgettext_lazy("ledger", "Address"), "identity.address"),
        ExportColumn(pgettext_lazy("ledger", "Employer"), "complaint.employer_display_name"),
        ExportColumn(
            pgettext_lazy("ledger", "Unified social credit code"),
            _c(lambda c: c.employer.credit_code if c.employer_id else ""),
        ),
        ExportColumn(pgettext_lazy("ledger", "Area unit"), "complaint.unit.name"),
        ExportColumn(
            pgettext_lazy("ledger", "Items"),
            _c(lambda c: "、".join(line.get_item_display() for line in c.items.all())),
        ),
        ExportColumn(pgettext_lazy("ledger", "Workers involved"), "complaint.workers_involved"),
        ExportColumn(
            pgettext_lazy("ledger", "Amount involved (yuan)"), "complaint.amount_involved"
        ),
        ExportColumn(pgettext_lazy("ledger", "Allegations"), "description"),
        ExportColumn(
            pgettext_lazy("ledger", "Status"), "complaint.status", labels=Complaint.Status.choices
        ),
        ExportColumn(
            pgettext_lazy("ledger", "Acceptance decision due"), "complaint.acceptance_due_on"
        ),
        ExportColumn(pgettext_lazy("ledger", "Decided on"), "complaint.decided_on"),
        ExportColumn(
            pgettext_lazy("ledger", "Reason for not accepting"),
            _c(lambda c: _joined(str(_REASONS.get(c.rejection_reason, "")), c.rejection_note)),
        ),
        ExportColumn(
            pgettext_lazy("ledger", "Case number"),
            _c(lambda c: c.case.number if c.case_id else ""),
        ),
        ExportColumn(
            pgettext_lazy("ledger", "Case opened on"),
            _c(lambda c: c.case.opened_on if c.case_id else None),
        ),
        ExportColumn(
            pgettext_lazy("ledger", "Investigation due"), "complaint.investigation_due_on"
        ),
        ExportColumn(pgettext_lazy("ledger", "Extension (working days)"), _c(_extension_days)),
        ExportColumn(
            pgettext_lazy("ledger", "Outcome"),
            _c(lambda c: _joined(str(_OUTCOMES.get(c.outcome, "")), c.outcome_note)),
        ),
        ExportColumn(pgettext_lazy("ledger", "Complainant answered on"), "complaint.answered_on"),
        ExportColumn(pgettext_lazy("ledger", "Closed on"), "complaint.closed_on"),
        ExportColumn(
            pgettext_lazy("ledger", "Assigned inspectors"),
            _c(
                lambda c: "、".join(
                    u.get_full_name() or u.get_username() for u in c.inspectors.all()
                )
            ),
        ),
    ]

    def __init__(self, user: AbstractBaseUser, *, include_identity: bool = False) -> None:
        self.user = user
        self.include_identity = include_identity
        self.revealed: list[Complaint] = []

    def rows(self, queryset: Iterable[Complaint]) -> Iterator[list[Any]]:
        return super().rows(self._ledger_rows(queryset))

    def _ledger_rows(self, queryset: Iterable[Complaint]) -> Iterator[LedgerRow]:
        complaints = (
            queryset.iterator(chunk_size=self.chunk_size)
            if hasattr(queryset, "iterator")
            else queryset
        )
        for complaint in complaints:
            unmasked = self.include_identity and complaint.identity_visible_to(self.user)
            if unmasked and not complaint.anonymous:
                self.revealed.append(complaint)
            yield LedgerRow(
                complaint,
                complaint.identity(masked=not unmasked),
                complaint.description_for(masked=not unmasked),
            )
