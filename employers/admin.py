from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Employer, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind")
    filter_horizontal = ("inspectors",)


@admin.register(Employer)
class EmployerAdmin(SimpleHistoryAdmin):
    list_display = ("name", "credit_code", "unit", "kind", "status")
    list_filter = ("unit", "kind", "status")
    search_fields = ("name", "credit_code")
    list_select_related = ("unit",)
    raw_id_fields = ()

    def has_delete_permission(self, request, obj=None) -> bool:
        # Employers are deregistered, never deleted: cases and ratings point at them.
        return False
