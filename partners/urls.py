"""The partner exchange: the C-list export, the admins' key pages and the partner API.

The paths keep the ones of the ratings app these pages came from."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views
from .api import PartnerRatingList

app_name = "partners"

urlpatterns = [
    path("watchlist/c-list.xlsx", views.c_list_export, name="c_list_export"),
    path("ratings/partners/", views.partner_keys, name="partner_keys"),
    path("ratings/partners/new/", views.partner_key_new, name="partner_key_new"),
    path(
        "ratings/partners/<str:prefix>/revoke/",
        views.partner_key_revoke_confirm,
        name="partner_key_revoke",
    ),
    # Token-authenticated: partner systems send an API key, never a session.
    path("api/v1/ratings/", login_not_required(PartnerRatingList.as_view()), name="api_ratings"),
]
