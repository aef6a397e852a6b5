"""Admin of the partner exchange: keys (created here or by ``add_partner``, revoked, never
deleted) and their access log (read-only)."""

from django.contrib import admin
from django.http import HttpRequest
from rest_framework_api_key.admin import APIKeyModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdmin

from .models import PartnerAccess, PartnerKey


@admin.register(PartnerKey)
class PartnerKeyAdmin(APIKeyModelAdmin, SimpleHistoryAdmin):
    """Creating a key here shows it once in a message; revoking is the ``revoked`` box."""

    list_display = [*APIKeyModelAdmin.list_display, "partner"]
    search_fields = [*APIKeyModelAdmin.search_fields, "partner"]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # The access log points at keys: revoke, never delete.
        return False


@admin.register(PartnerAccess)
class PartnerAccessAdmin(ReadOnlyAdmin):
    list_display = ("at", "key", "status_code", "rows", "query", "remote_addr")
    list_filter = ("status_code", "key")
    list_select_related = ("key",)
    date_hierarchy = "at"
