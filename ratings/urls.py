"""Pages of the rating engine: early warning and the yearly evaluation."""

from django.urls import path

from core.routing import list_urls, record_urls

from . import views
from .procedure import views as procedure
from .repair.urls import urlpatterns as repair_urls

app_name = "ratings"

urlpatterns = [
    *list_urls(
        "ratings/early-warning/", views.early_warning, views.early_warning_export, "early_warning"
    ),
    path("ratings/yearly/", views.yearly, name="yearly"),
    *record_urls("ratings/yearly/", views, "yearly", ("run", "export"), ("notified",)),
    path("ratings/yearly/notified/", views.yearly_mark_notified, name="yearly_mark_notified"),
    # the procedure: notices and objections
    *record_urls(
        "ratings/notices/", procedure, "notice", ("list",), ("detail", "letter", "serve", "receipt")
    ),
    path(
        "ratings/notices/<int:pk>/objection/", procedure.objection_create, name="objection_create"
    ),
    path(
        "ratings/employers/<int:pk>/letter.pdf", procedure.employer_letter, name="employer_letter"
    ),
    *record_urls(
        "ratings/objections/", procedure, "objection", ("list",), ("detail", "decide", "letter")
    ),
    path(
        "ratings/objections/files/<int:pk>/",
        procedure.objection_attachment,
        name="objection_attachment",
    ),
    # credit repair and the rule sets
    *repair_urls,
]
