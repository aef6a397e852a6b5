"""Admins' page of partner API keys: who has one, when it was last used, revoking it."""

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.roles import is_admin

from ..models import PartnerAccess, PartnerKey
from ..services_uses import partner_key_revoke

RECENT_ACCESSES = 50


def _require_admin(user: AbstractBaseUser) -> None:
    if not is_admin(user):
        raise PermissionDenied


def partner_keys(request: HttpRequest) -> HttpResponse:
    _require_admin(request.user)
    keys = PartnerKey.objects.annotate(
        access_count=Count("accesses"), last_access=Max("accesses__at")
    ).order_by("revoked", "-created")
    accesses = PartnerAccess.objects.select_related("key")[:RECENT_ACCESSES]
    return render(
        request,
        "ratings/partner_keys.html",
        {"keys": keys, "accesses": accesses},
    )


def partner_key_revoke_confirm(request: HttpRequest, prefix: str) -> HttpResponse:
    """GET asks for confirmation; POST revokes. A revoked key cannot be restored."""
    _require_admin(request.user)
    key = get_object_or_404(PartnerKey, prefix=prefix)
    if request.method == "POST":
        if partner_key_revoke(key=key):
            messages.success(
                request,
                _("The key of %(partner)s (%(prefix)s) is revoked.")
                % {"partner": key.partner, "prefix": key.prefix},
            )
        else:
            messages.info(request, _("This key was already revoked."))
        return redirect("ratings:partner_keys")
    return render(request, "ratings/partner_revoke_confirm.html", {"key": key})
