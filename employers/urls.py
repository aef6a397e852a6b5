from django.urls import path

from imports import views as imports

from . import views
from .staff import views as staff

app_name = "employers"

urlpatterns = [
    path("employers/", views.employer_list, name="list"),
    path("employers/export.xlsx", views.employer_export, name="export"),
    # before the detail pattern, which would take "new" for a credit code
    path("employers/new/", views.employer_create, name="create"),
    path("employers/<str:credit_code>/", views.employer_detail, name="detail"),
    path("employers/<str:credit_code>/edit/", views.employer_edit, name="edit"),
    path(
        "employers/<str:credit_code>/deregister/",
        views.employer_deregister,
        name="deregister",
    ),
    # The import pages are the imports app's, for every importer; the roster's upload is here.
    path("imports/", imports.import_list, name="import_list"),
    path("imports/roster/new/", imports.upload, {"key": "roster"}, name="import_roster"),
    path("imports/<int:pk>/", imports.detail, name="import_detail"),
    path("imports/<int:pk>/confirm/", imports.confirm, name="import_confirm"),
    path("imports/<int:pk>/report.xlsx", imports.report, name="import_report"),
    path("imports/<int:pk>/progress/", imports.progress, name="import_progress"),
    path("imports/<int:pk>/cancel/", imports.cancel, name="import_cancel"),
    path("imports/<int:pk>/retry/", imports.retry, name="import_retry"),
    # User administration (admins): employers/staff.
    path("staff/", staff.staff_home, name="staff_home"),
    path("staff/users/", staff.staff_user_list, name="staff_users"),
    path("staff/users/new/", staff.staff_user_create, name="staff_user_create"),
    path("staff/users/<int:pk>/", staff.staff_user_edit, name="staff_user_edit"),
    path("staff/users/<int:pk>/<slug:action>/", staff.staff_user_action, name="staff_user_action"),
]
