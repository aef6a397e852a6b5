from django.contrib import admin
from django.http import HttpRequest

from core.models import OfficialDay


class NeverAddedMixin:
    """Rows only the application creates (an evaluation, a log line): none added here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class NeverDeletedMixin:
    """Rows that others point at or that are history: none deleted here."""

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ReadOnlyAdmin(NeverAddedMixin, NeverDeletedMixin, admin.ModelAdmin):
    """Records the application writes (ratings, logs, complaints): the admin site reads them."""

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(OfficialDay)
class OfficialDayAdmin(admin.ModelAdmin):
    """Single-day corrections; a whole year is entered on the working calendar page, which also
    recomputes the deadlines."""

    list_display = ("date", "kind", "name", "year", "source", "entered_by", "entered_at")
    list_filter = ("year", "kind")
    search_fields = ("name", "source")
    date_hierarchy = "date"
    readonly_fields = ("entered_by", "entered_at")

    def save_model(
        self, request: HttpRequest, obj: OfficialDay, form: object, change: bool
    ) -> None:
        from django.utils import timezone

        obj.entered_by = request.user
        obj.entered_at = timezone.now()
        super().save_model(request, obj, form, change)
