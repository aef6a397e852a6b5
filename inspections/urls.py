from django.urls import path

from imports import views as imports

from .views import cases, documents, evidence, patrols, reviews

app_name = "inspections"

urlpatterns = [
    path("patrols/", patrols.patrol_list, name="patrol_list"),
    path("patrols/export.xlsx", patrols.patrol_export, name="patrol_export"),
    path("patrols/new/", patrols.patrol_create, name="patrol_create"),
    path("patrols/<int:pk>/", patrols.patrol_detail, name="patrol_detail"),
    path("patrols/<int:pk>/edit/", patrols.patrol_edit, name="patrol_edit"),
    path("patrols/<int:pk>/evidence/", evidence.patrol_evidence, name="patrol_evidence"),
    path("reviews/", reviews.review_list, name="review_list"),
    path("reviews/overdue/", reviews.review_overdue, name="review_overdue"),
    path("reviews/export.xlsx", reviews.review_export, name="review_export"),
    path("reviews/new/", reviews.review_create, name="review_create"),
    path("reviews/<int:pk>/", reviews.review_detail, name="review_detail"),
    path("reviews/<int:pk>/edit/", reviews.review_edit, name="review_edit"),
    path("reviews/<int:pk>/return/", reviews.review_return_view, name="review_return"),
    path("reviews/<int:pk>/resubmit/", reviews.review_resubmit_view, name="review_resubmit"),
    path("reviews/<int:pk>/conclude/", reviews.review_conclude_view, name="review_conclude"),
    path("reviews/<int:pk>/evidence/", evidence.review_evidence, name="review_evidence"),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/export.xlsx", cases.case_export, name="case_export"),
    path("cases/new/", cases.case_create, name="case_create"),
    # The case ledger through the imports app's pages (GET previews, POST confirms).
    path("cases/import/", imports.upload, {"key": "cases"}, name="case_import"),
    path(
        "cases/import/<int:pk>/",
        imports.detail,
        {"key": "cases", "confirm_on_post": True},
        name="case_import_preview",
    ),
    path(
        "cases/import/<int:pk>/report.xlsx",
        imports.report,
        {"key": "cases"},
        name="case_import_report",
    ),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", cases.case_edit, name="case_edit"),
    path("cases/<int:pk>/serious/", cases.case_serious, name="case_serious"),
    path("cases/<int:pk>/withdraw/", cases.case_withdraw_view, name="case_withdraw"),
    path("cases/<int:pk>/close/", cases.case_close_view, name="case_close"),
    path("cases/<int:pk>/evidence/", evidence.case_evidence, name="case_evidence"),
    path("cases/<int:pk>/order.pdf", documents.case_order_document, name="case_order_document"),
    path(
        "cases/<int:pk>/decision.pdf",
        documents.case_decision_document,
        name="case_decision_document",
    ),
    path("evidence/<int:pk>/", evidence.evidence_download, name="evidence_download"),
]
