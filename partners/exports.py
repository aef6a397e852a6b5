"""The C list for partner departments as a spreadsheet: public fields only."""

from django.utils.translation import gettext_lazy as _

from core.exports import ExportColumn, SheetExport
from employers.exports import identity_columns


class CListExport(SheetExport):
    """The joint-punishment C list, the same fields as the partner API gives."""

    filename = "c-list"
    sheet_title = _("C list")
    columns = [
        *identity_columns((_("Unified social credit code"), _("Employer name"), _("Area unit"))),
        ExportColumn(_("Level"), "level"),
        ExportColumn(_("Clauses"), "clause_codes"),
        ExportColumn(_("C since"), "since"),
    ]
