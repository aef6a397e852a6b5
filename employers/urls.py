from django.urls import path

from . import views

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
    path("imports/", views.import_list, name="import_list"),
    path("imports/roster/new/", views.import_roster, name="import_roster"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/report.xlsx", views.import_report, name="import_report"),
]
