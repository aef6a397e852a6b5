"""Admin of the partner exchange: keys (created here or by ``add_partner``, revoked, never
deleted) and their access log (read-only)."""

from django.contrib import admin
from rest_framework_api_key.admin import APIKeyModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import NeverDeletedMixin, ReadOnlyAdmin

from .models import PartnerAccess, PartnerKey


@admin.register(PartnerKey)
class PartnerKeyAdmin(NeverDeletedMixin, APIKeyModelAdmin, SimpleHistoryAdmin):
    """Creating a key here shows it once in a message; revoking is the ``revoked`` box (the
    access log points at keys: revoked, never deleted)."""

    list_display = [*APIKeyModelAdmin.list_display, "partner"]
    search_fields = [*APIKeyModelAdmin.search_fields, "partner"]


@admin.register(PartnerAccess)
class PartnerAccessAdmin(ReadOnlyAdmin):
    list_display = ("at", "key", "status_code", "rows", "query", "remote_addr")
    list_filter = ("status_code", "key")
    list_select_related = ("key",)
    date_hierarchy = "at"
