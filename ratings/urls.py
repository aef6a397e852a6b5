"""Pages of the rating engine: early warning and the yearly evaluation."""

from django.urls import path

from . import views

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
]
