from django.urls import path

from . import views

app_name = "employers"

urlpatterns = [
    path("employers/", views.employer_list, name="list"),
    path("employers/export.xlsx", views.employer_export, name="export"),
    path("employers/<str:credit_code>/", views.employer_detail, name="detail"),
]
