from django.urls import path

from core.routing import record_urls
from imports import views as imports

from .views import cases, documents, evidence, patrols, reviews

app_name = "inspections"

urlpatterns = [
    *record_urls("patrols/", patrols, "patrol", ("list", "export", "create"), ("detail", "edit")),
    *record_urls("patrols/", evidence, "patrol", member=("evidence",)),
    *record_urls(
        "reviews/",
        reviews,
        "review",
        ("list", "overdue", "export", "create"),
        ("detail", "edit", "return", "resubmit", "conclude"),
    ),
    *record_urls("reviews/", evidence, "review", member=("evidence",)),
    *record_urls("cases/", cases, "case", ("list", "export", "create")),
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
    *record_urls(
        "cases/", cases, "case", member=("detail", "edit", "serious", "withdraw", "close")
    ),
    *record_urls("cases/", evidence, "case", member=("evidence",)),
    path("cases/<int:pk>/order.pdf", documents.case_order_document, name="case_order_document"),
    path(
        "cases/<int:pk>/decision.pdf",
        documents.case_decision_document,
        name="case_decision_document",
    ),
    path("evidence/<int:pk>/", evidence.evidence_download, name="evidence_download"),
]
