from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("complaints/", views.complaint_list, name="list"),
    path("complaints/summary/", views.complaint_summary, name="summary"),
    path("complaints/export.xlsx", views.complaint_export, name="export"),
    path("complaints/new/", views.complaint_create, name="create"),
    path("complaints/employer-search/", views.employer_search, name="employer_search"),
    path("complaints/<int:pk>/", views.complaint_detail, name="detail"),
    path("complaints/<int:pk>/history/", views.complaint_history, name="history"),
    path("complaints/<int:pk>/edit/", views.complaint_edit, name="edit"),
    path("complaints/<int:pk>/accept/", views.complaint_accept, name="accept"),
    path("complaints/<int:pk>/reject/", views.complaint_reject, name="reject"),
    path("complaints/<int:pk>/supplement/", views.complaint_supplement, name="supplement"),
    path("complaints/<int:pk>/supplemented/", views.complaint_supplemented, name="supplemented"),
    path("complaints/<int:pk>/close/", views.complaint_close, name="close"),
    path("complaints/<int:pk>/answer/", views.complaint_answer, name="answer"),
    path("complaints/<int:pk>/link-employer/", views.complaint_link_employer, name="link"),
    path("complaints/<int:pk>/assign/", views.complaint_assign, name="assign"),
    path("complaints/<int:pk>/extension/", views.extension_request, name="extension_request"),
    path("complaints/<int:pk>/extension/decide/", views.extension_decide, name="extension_decide"),
]
