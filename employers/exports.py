"""The employer list as .xlsx: its columns, in the order users' spreadsheets expect."""

from django.utils.translation import gettext_lazy as _

from core.exports import ExportColumn, SheetExport

from .models import Employer

_KINDS = dict(Employer.Kind.choices)
_STATUSES = dict(Employer.Status.choices)


class EmployerExport(SheetExport):
    filename = "employers"
    sheet_title = _("Employers")
    columns = [
        ExportColumn(_("Unified social credit code"), "credit_code"),
        ExportColumn(_("Name"), "name"),
        ExportColumn(_("Kind"), lambda e: str(_KINDS.get(e.kind, e.kind))),
        ExportColumn(_("Area unit"), "unit.name"),
        ExportColumn(_("Address"), "address"),
        ExportColumn(_("Legal representative"), "legal_representative"),
        ExportColumn(_("Contact person"), "contact_person"),
        ExportColumn(_("Contact phone"), "contact_phone"),
        ExportColumn(_("Headcount"), "headcount"),
        ExportColumn(_("Industry"), "industry"),
        ExportColumn(_("Established on"), "established_on"),
        ExportColumn(_("Status"), lambda e: str(_STATUSES.get(e.status, e.status))),
        ExportColumn(_("Last verified on"), "verified_on"),
    ]
