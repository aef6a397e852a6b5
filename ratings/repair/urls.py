"""URLs of credit repair and of the rule sets (included by ratings/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("ratings/repairs/", views.repair_list, name="repair_list"),
    path("ratings/repairs/<int:pk>/", views.repair_detail, name="repair_detail"),
    path("ratings/repairs/<int:pk>/decide/", views.repair_decide_view, name="repair_decide"),
    path("ratings/repairs/<int:pk>/letter.pdf", views.repair_letter, name="repair_letter"),
    path("ratings/employers/<int:pk>/repair/", views.repair_create, name="repair_create"),
    path("ratings/rulesets/", views.ruleset_page, name="rulesets"),
    path("ratings/rulesets/switch/", views.ruleset_switch_view, name="ruleset_switch"),
    path("ratings/rulesets/replay/", views.replay_page, name="replay"),
]
