"""Engine pages: early warning, yearly evaluation."""

from django.urls import path

from .views import engine

urlpatterns = [
    path("ratings/early-warning/", engine.early_warning, name="early_warning"),
    path(
        "ratings/early-warning/export.xlsx",
        engine.early_warning_export,
        name="early_warning_export",
    ),
    path("ratings/yearly/", engine.yearly, name="yearly"),
    path("ratings/yearly/run/", engine.yearly_run, name="yearly_run"),
    path("ratings/yearly/export.xlsx", engine.yearly_export, name="yearly_export"),
    path("ratings/yearly/notified/", engine.yearly_mark_notified, name="yearly_mark_notified"),
    path("ratings/yearly/<int:pk>/notified/", engine.yearly_notified, name="yearly_notified"),
]
