"""Inspection planning: the watchlist, patrols due, patrol intervals, training.

The paths keep the ones of the ratings app these pages came from."""

from django.urls import path

from core.routing import list_urls, record_urls

from .views import draws, my_day, patrols, training, watchlist

app_name = "planning"

urlpatterns = [
    *list_urls("watchlist/", watchlist.watchlist_page, watchlist.watchlist_export, "watchlist"),
    *list_urls(
        "ratings/patrols-due/", patrols.patrols_due, patrols.patrols_due_export, "patrols_due"
    ),
    path("ratings/intervals/", patrols.intervals_edit, name="intervals"),
    *record_urls("ratings/training/", training, "training", ("list", "create"), ("detail", "edit")),
    path("my-day/", my_day.my_day, name="my_day"),
    path("decisions/", my_day.decisions, name="decisions"),
    *record_urls("draws/", draws, "draw", ("list", "new"), ("detail",)),
    path("draws/<int:pk>/results.xlsx", draws.draw_export, name="draw_export"),
]
