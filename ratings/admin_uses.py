"""Admin for the uses of the level: partner keys (revocation), their access log, patrol
intervals and training. Imported from ``ratings/admin.py``."""

from django.contrib import admin
from rest_framework_api_key.admin import APIKeyModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import PartnerAccess, PartnerKey, PatrolInterval, TrainingAttendance, TrainingSession


def _register(model, admin_class) -> None:
    # ratings/admin.py may register some of these itself; the first registration wins.
    if not admin.site.is_registered(model):
        admin.site.register(model, admin_class)


class PartnerKeyAdmin(APIKeyModelAdmin, SimpleHistoryAdmin):
    """Creating a key here shows it once in a message; revoking is the ``revoked`` box."""

    list_display = [*APIKeyModelAdmin.list_display, "partner"]
    search_fields = [*APIKeyModelAdmin.search_fields, "partner"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # The access log points at keys: revoke, never delete.
        return False


class PartnerAccessAdmin(admin.ModelAdmin):
    list_display = ("at", "key", "status_code", "rows", "query", "remote_addr")
    list_filter = ("status_code", "key")
    list_select_related = ("key",)
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PatrolIntervalAdmin(SimpleHistoryAdmin):
    list_display = ("level", "months")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class TrainingAttendanceInline(admin.TabularInline):
    model = TrainingAttendance
    raw_id_fields = ("employer",)
    extra = 0


class TrainingSessionAdmin(SimpleHistoryAdmin):
    list_display = ("held_on", "topic", "organiser", "created_by")
    date_hierarchy = "held_on"
    inlines = [TrainingAttendanceInline]
    raw_id_fields = ("created_by",)


_register(PartnerKey, PartnerKeyAdmin)
_register(PartnerAccess, PartnerAccessAdmin)
_register(PatrolInterval, PatrolIntervalAdmin)
_register(TrainingSession, TrainingSessionAdmin)
