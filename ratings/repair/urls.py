"""URLs of credit repair and of the rule sets (included by ratings/urls.py)."""

from django.urls import path

from core.routing import record_urls

from . import views

urlpatterns = [
    *record_urls("ratings/repairs/", views, "repair", ("list",), ("detail", "decide", "letter")),
    path("ratings/employers/<int:pk>/repair/", views.repair_create, name="repair_create"),
    path("ratings/rulesets/", views.ruleset_page, name="rulesets"),
    path("ratings/rulesets/switch/", views.ruleset_switch_view, name="ruleset_switch"),
    path("ratings/rulesets/replay/", views.replay_page, name="replay"),
]
