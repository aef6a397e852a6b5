"""Admin of inspection planning: patrol intervals (never deleted) and training records."""

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import PatrolInterval, TrainingAttendance, TrainingSession


@admin.register(PatrolInterval)
class PatrolIntervalAdmin(SimpleHistoryAdmin):
    list_display = ("level", "months")

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class TrainingAttendanceInline(admin.TabularInline):
    model = TrainingAttendance
    raw_id_fields = ("employer",)
    extra = 0


@admin.register(TrainingSession)
class TrainingSessionAdmin(SimpleHistoryAdmin):
    list_display = ("held_on", "topic", "organiser", "created_by")
    date_hierarchy = "held_on"
    inlines = [TrainingAttendanceInline]
    raw_id_fields = ("created_by",)
