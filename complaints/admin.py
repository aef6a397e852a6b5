"""Read-only admin pages. Complaints are handled in the application, where the identity is
masked and every unmasked view is logged; the admin site shows only masked data."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin

from .models import Complaint, IdentityAccess


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ("number", "received_on", "unit", "status", "masked_complainant", "due_on")
    list_filter = ("status", "channel", "unit")
    search_fields = ("number",)
    list_select_related = ("unit",)
    # The identity fields are deliberately absent: the admin site logs nothing.
    fields = ("number", "kind", "channel", "received_on", "unit", "status", "due_on")
    readonly_fields = fields

    @admin.display(description=_("Complainant"))
    def masked_complainant(self, obj: Complaint) -> str:
        identity = obj.identity(masked=True)
        return str(_("Anonymous")) if identity.anonymous else identity.name


@admin.register(IdentityAccess)
class IdentityAccessAdmin(ReadOnlyAdmin):
    list_display = ("accessed_at", "user", "complaint", "via")
    list_filter = ("via",)
    list_select_related = ("user", "complaint")
