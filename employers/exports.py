"""The employer list as .xlsx: its columns, in the order users' spreadsheets expect; and the
three columns naming an employer that the other apps' exports begin with."""

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from core.exports import ExportColumn, SheetExport

from .models import Employer

IDENTITY_TITLES = (_("Unified social credit code"), _("Employer"), _("Area unit"))
# The machine interfaces' fixed Chinese headers (SPEC section 7: the case ledger import,
# export_ratings, the city system's layout), whatever the language.
IDENTITY_TITLES_ZH = ("统一社会信用代码", "单位名称", "所属街镇")


def identity_columns(
    titles: Sequence[Any] = IDENTITY_TITLES, *, path: str = "employer."
) -> list[ExportColumn]:
    """Credit code, name and area unit of the employer a row leads to by ``path`` (a case's
    ``employer.``; "" when the row is the employer), under ``titles`` in that order."""
    code, name, unit = titles
    return [
        ExportColumn(code, f"{path}credit_code"),
        ExportColumn(name, f"{path}name"),
        ExportColumn(unit, f"{path}unit.name"),
    ]


class EmployerExport(SheetExport):
    filename = "employers"
    sheet_title = _("Employers")
    columns = [
        ExportColumn(_("Unified social credit code"), "credit_code"),
        ExportColumn(_("Name"), "name"),
        ExportColumn(_("Kind"), "kind", labels=Employer.Kind.choices),
        ExportColumn(_("Area unit"), "unit.name"),
        ExportColumn(_("Address"), "address"),
        ExportColumn(_("Legal representative"), "legal_representative"),
        ExportColumn(_("Contact person"), "contact_person"),
        ExportColumn(_("Contact phone"), "contact_phone"),
        ExportColumn(_("Headcount"), "headcount"),
        ExportColumn(_("Industry"), "industry"),
        ExportColumn(_("Established on"), "established_on"),
        ExportColumn(_("Status"), "status", labels=Employer.Status.choices),
        ExportColumn(_("Last verified on"), "verified_on"),
    ]
