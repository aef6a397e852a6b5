"""Admin of inspection planning: patrol intervals (never deleted) and training records."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import NeverDeletedMixin

from .models import PatrolInterval, TrainingAttendance, TrainingSession


@admin.register(PatrolInterval)
class PatrolIntervalAdmin(NeverDeletedMixin, SimpleHistoryAdmin):
    list_display = ("level", "months")


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
