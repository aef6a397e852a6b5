"""Admin of the rating engine: ratings and their history are read-only (the engine writes
them); yearly evaluations allow only the notification date to be recorded."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import NeverAddedMixin, NeverDeletedMixin, ReadOnlyAdmin
from employers.admin import EmployerRowAdmin

from .models import Rating, RatingHistory, YearlyEvaluation


@admin.register(Rating)
class RatingAdmin(EmployerRowAdmin, ReadOnlyAdmin):
    list_display = ("employer", "level", "clause_codes", "since", "next_change_on", "computed_at")
    list_filter = ("level", "employer__unit")
    show_full_result_count = False


@admin.register(RatingHistory)
class RatingHistoryAdmin(EmployerRowAdmin, ReadOnlyAdmin):
    list_display = ("employer", "level", "clause_codes", "cause", "computed_at")
    list_filter = ("level", "cause")
    show_full_result_count = False


@admin.register(YearlyEvaluation)
class YearlyEvaluationAdmin(
    EmployerRowAdmin, NeverAddedMixin, NeverDeletedMixin, SimpleHistoryAdmin
):
    list_display = ("year", "employer", "level", "clause_codes", "notified_on")
    list_filter = ("year", "level", "employer__unit")
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
