from django.urls import path

from core.routing import record_urls
from imports import views as imports

from . import views
from .staff import views as staff

app_name = "employers"

urlpatterns = [
    # "new/" comes before the detail pattern, which would take "new" for a credit code.
    *record_urls(
        "employers/",
        views,
        "employer",
        ("list", "export", "create"),
        ("detail", "edit", "deregister"),
        key="<str:credit_code>",
        names="",
    ),
    # The import pages are the imports app's, for every importer; the roster's upload is here.
    path("imports/", imports.import_list, name="import_list"),
    path("imports/roster/new/", imports.upload, {"key": "roster"}, name="import_roster"),
    *record_urls(
        "imports/",
        imports,
        "",
        member=("detail", "confirm", "report", "progress", "cancel", "retry"),
        names="import_",
    ),
    # User administration (admins): employers/staff.
    path("staff/", staff.staff_home, name="staff_home"),
    path("staff/users/", staff.staff_user_list, name="staff_users"),
    path("staff/users/new/", staff.staff_user_create, name="staff_user_create"),
    path("staff/users/<int:pk>/", staff.staff_user_edit, name="staff_user_edit"),
    path("staff/users/<int:pk>/<slug:action>/", staff.staff_user_action, name="staff_user_action"),
]
