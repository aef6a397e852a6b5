from django.urls import path, re_path

from core.routing import list_urls

from . import views

app_name = "supervision"

urlpatterns = [
    *list_urls("coverage/", views.dashboard, views.export, "dashboard", export_name="export"),
    path("coverage/run/", views.run, name="run"),
    re_path(
        r"^coverage/(?P<month>\d{4}-\d{2})/(?P<unit_code>\d{9})/(?P<code>[a-z_]+)/$",
        views.cell,
        name="cell",
    ),
]
