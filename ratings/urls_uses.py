"""Uses of the level: watchlist, patrols due, patrol intervals, training, partner API."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from .api import PartnerRatingList
from .views import partners, patrols, training, watchlist

urlpatterns = [
    path("watchlist/", watchlist.watchlist_page, name="watchlist"),
    path("watchlist/export.xlsx", watchlist.watchlist_export, name="watchlist_export"),
    path("watchlist/c-list.xlsx", watchlist.c_list_export, name="c_list_export"),
    path("ratings/patrols-due/", patrols.patrols_due, name="patrols_due"),
    path("ratings/patrols-due/export.xlsx", patrols.patrols_due_export, name="patrols_due_export"),
    path("ratings/intervals/", patrols.intervals_edit, name="intervals"),
    path("ratings/training/", training.training_list, name="training_list"),
    path("ratings/training/new/", training.training_create, name="training_create"),
    path("ratings/training/<int:pk>/", training.training_detail, name="training_detail"),
    path("ratings/training/<int:pk>/edit/", training.training_edit, name="training_edit"),
    path("ratings/partners/", partners.partner_keys, name="partner_keys"),
    path(
        "ratings/partners/<str:prefix>/revoke/",
        partners.partner_key_revoke_confirm,
        name="partner_key_revoke",
    ),
    # Token-authenticated: partner systems send an API key, never a session.
    path("api/v1/ratings/", login_not_required(PartnerRatingList.as_view()), name="api_ratings"),
]
