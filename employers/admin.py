from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import NeverDeletedMixin

from .models import Employer, Unit


class EmployerRowAdmin:
    """Admin of rows that belong to an employer: found by its name or credit code."""

    search_fields = ("employer__name", "employer__credit_code")
    list_select_related = ("employer",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind")
    filter_horizontal = ("inspectors",)


@admin.register(Employer)
class EmployerAdmin(NeverDeletedMixin, SimpleHistoryAdmin):
    """Employers are deregistered, never deleted: cases and ratings point at them."""

    list_display = ("name", "credit_code", "unit", "kind", "status")
    list_filter = ("unit", "kind", "status")
    search_fields = ("name", "credit_code")
    list_select_related = ("unit",)
    raw_id_fields = ()
