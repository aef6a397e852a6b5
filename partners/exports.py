"""The C list for partner departments as a spreadsheet: public fields only."""

from django.utils.translation import gettext_lazy as _

from core.exports import ExportColumn, SheetExport


class CListExport(SheetExport):
    """The joint-punishment C list, the same fields as the partner API gives."""

    filename = "c-list"
    sheet_title = _("C list")
    columns = [
        ExportColumn(_("Unified social credit code"), "employer.credit_code"),
        ExportColumn(_("Employer name"), "employer.name"),
        ExportColumn(_("Area unit"), "employer.unit.name"),
        ExportColumn(_("Level"), "level"),
        ExportColumn(_("Clauses"), "clause_codes"),
        ExportColumn(_("C since"), "since"),
    ]
