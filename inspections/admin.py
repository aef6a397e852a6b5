from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Case, EvidenceFile, Patrol, WrittenReview


@admin.register(Patrol)
class PatrolAdmin(SimpleHistoryAdmin):
    list_display = ("patrolled_on", "employer", "outcome", "created_by")
    list_filter = ("outcome", "employer__unit")
    search_fields = ("employer__name", "employer__credit_code")
    raw_id_fields = ("employer", "created_by")
    filter_horizontal = ("inspectors",)
    date_hierarchy = "patrolled_on"


@admin.register(WrittenReview)
class WrittenReviewAdmin(SimpleHistoryAdmin):
    list_display = ("employer", "year", "status", "received_on", "resubmit_deadline")
    list_filter = ("status", "year", "employer__unit")
    search_fields = ("employer__name", "employer__credit_code")
    raw_id_fields = ("employer", "created_by")


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = ("number", "employer", "source", "opened_on", "decided_on", "withdrawn")
    list_filter = ("source", "order_issued", "decision_issued", "penalty_issued", "serious")
    search_fields = ("number", "employer__name", "employer__credit_code")
    raw_id_fields = (
        "employer",
        "source_patrol",
        "source_review",
        "created_by",
        "serious_judged_by",
    )
    filter_horizontal = ("inspectors",)


@admin.register(EvidenceFile)
class EvidenceFileAdmin(SimpleHistoryAdmin):
    list_display = (
        "original_name",
        "employer",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    )
    raw_id_fields = ("employer", "patrol", "case", "review", "uploaded_by")
