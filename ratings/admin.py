"""Admin of the rating engine: ratings and their history are read-only (the engine writes
them); yearly evaluations allow only the notification date to be recorded."""

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdmin

from .models import Rating, RatingHistory, YearlyEvaluation


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("employer", "level", "clause_codes", "since", "next_change_on", "computed_at")
    list_filter = ("level", "employer__unit")
    search_fields = ("employer__name", "employer__credit_code")
    list_select_related = ("employer",)
    show_full_result_count = False


@admin.register(RatingHistory)
class RatingHistoryAdmin(ReadOnlyAdmin):
    list_display = ("employer", "level", "clause_codes", "cause", "computed_at")
    list_filter = ("level", "cause")
    search_fields = ("employer__name", "employer__credit_code")
    list_select_related = ("employer",)
    show_full_result_count = False


@admin.register(YearlyEvaluation)
class YearlyEvaluationAdmin(SimpleHistoryAdmin):
    list_display = ("year", "employer", "level", "clause_codes", "notified_on")
    list_filter = ("year", "level", "employer__unit")
    search_fields = ("employer__name", "employer__credit_code")
    list_select_related = ("employer",)
    readonly_fields = (
        "employer",
        "year",
        "level",
        "clause_codes",
        "clauses",
        "ruleset_version",
        "evaluated_at",
    )
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
