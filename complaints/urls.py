from django.urls import path

from core.routing import record_urls

from . import views

app_name = "complaints"

# The steps of a complaint (views/steps.py), each at complaints/<pk>/<step>/.
STEPS = ("accept", "reject", "supplement", "supplemented", "close", "answer", "assign")

urlpatterns = [
    *record_urls(
        "complaints/",
        views,
        "complaint",
        ("list", "summary", "export", "create"),
        ("detail", "history", "edit", *STEPS),
        names="",
    ),
    path("complaints/employer-search/", views.employer_search, name="employer_search"),
    path("complaints/<int:pk>/link-employer/", views.complaint_link_employer, name="link"),
    path("complaints/<int:pk>/extension/", views.extension_request, name="extension_request"),
    path("complaints/<int:pk>/extension/decide/", views.extension_decide, name="extension_decide"),
]
