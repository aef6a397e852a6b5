from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("admin-tools/calendar/", views.calendar_overview, name="calendar"),
    path("admin-tools/calendar/<int:year>/", views.calendar_year, name="calendar_year"),
]
