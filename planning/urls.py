"""Inspection planning: the watchlist, patrols due, patrol intervals, training.

The paths keep the ones of the ratings app these pages came from."""

from django.urls import path

from .views import draws, my_day, patrols, training, watchlist

app_name = "planning"

urlpatterns = [
    path("watchlist/", watchlist.watchlist_page, name="watchlist"),
    path("watchlist/export.xlsx", watchlist.watchlist_export, name="watchlist_export"),
    path("ratings/patrols-due/", patrols.patrols_due, name="patrols_due"),
    path("ratings/patrols-due/export.xlsx", patrols.patrols_due_export, name="patrols_due_export"),
    path("ratings/intervals/", patrols.intervals_edit, name="intervals"),
    path("ratings/training/", training.training_list, name="training_list"),
    path("ratings/training/new/", training.training_create, name="training_create"),
    path("ratings/training/<int:pk>/", training.training_detail, name="training_detail"),
    path("ratings/training/<int:pk>/edit/", training.training_edit, name="training_edit"),
    path("my-day/", my_day.my_day, name="my_day"),
    path("decisions/", my_day.decisions, name="decisions"),
    path("draws/", draws.draw_list, name="draw_list"),
    path("draws/new/", draws.draw_new, name="draw_new"),
    path("draws/<int:pk>/", draws.draw_detail, name="draw_detail"),
    path("draws/<int:pk>/results.xlsx", draws.draw_export, name="draw_export"),
]
