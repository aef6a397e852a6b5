"""Pages of the rating engine: early warning and the yearly evaluation."""

from django.urls import path

from . import views
from .procedure import views as procedure
from .repair.urls import urlpatterns as repair_urls

app_name = "ratings"

urlpatterns = [
    path("ratings/early-warning/", views.early_warning, name="early_warning"),
    path(
        "ratings/early-warning/export.xlsx",
        views.early_warning_export,
        name="early_warning_export",
    ),
    path("ratings/yearly/", views.yearly, name="yearly"),
    path("ratings/yearly/run/", views.yearly_run, name="yearly_run"),
    path("ratings/yearly/export.xlsx", views.yearly_export, name="yearly_export"),
    path("ratings/yearly/notified/", views.yearly_mark_notified, name="yearly_mark_notified"),
    path("ratings/yearly/<int:pk>/notified/", views.yearly_notified, name="yearly_notified"),
    # the procedure: notices and objections
    path("ratings/notices/", procedure.notice_list, name="notice_list"),
    path("ratings/notices/<int:pk>/", procedure.notice_detail, name="notice_detail"),
    path("ratings/notices/<int:pk>/letter.pdf", procedure.notice_letter, name="notice_letter"),
    path("ratings/notices/<int:pk>/serve/", procedure.notice_serve, name="notice_serve"),
    path("ratings/notices/<int:pk>/receipt/", procedure.notice_receipt, name="notice_receipt"),
    path(
        "ratings/notices/<int:pk>/objection/", procedure.objection_create, name="objection_create"
    ),
    path(
        "ratings/employers/<int:pk>/letter.pdf", procedure.employer_letter, name="employer_letter"
    ),
    path("ratings/objections/", procedure.objection_list, name="objection_list"),
    path("ratings/objections/<int:pk>/", procedure.objection_detail, name="objection_detail"),
    path(
        "ratings/objections/<int:pk>/decide/",
        procedure.objection_decide_view,
        name="objection_decide",
    ),
    path(
        "ratings/objections/<int:pk>/letter.pdf",
        procedure.objection_letter,
        name="objection_letter",
    ),
    path(
        "ratings/objections/files/<int:pk>/",
        procedure.objection_attachment,
        name="objection_attachment",
    ),
    # credit repair and the rule sets
    *repair_urls,
]
