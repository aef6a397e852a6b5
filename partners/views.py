"""Partner pages: the C-list export, and the admins' page of partner API keys (who has one,
when it was last used, revoking it)."""

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.roles import Role, is_admin, role_required
from ratings.models import Level

from .exports import CListExport
from .models import PartnerAccess, PartnerKey
from .selectors import c_list
from .services import partner_key_create, partner_key_revoke

RECENT_ACCESSES = 50
PARTNER_NAME_MAX = 100  # PartnerKey.partner


def _require_admin(user: AbstractBaseUser) -> None:
    # Not ``role_required``: these pages have always refused accounts without any role with
    # 403, like any non-admin, rather than hiding behind a 404.
    if not is_admin(user):
        raise PermissionDenied


@role_required(Role.SUPERVISOR, Role.ADMIN)
def c_list_export(request: HttpRequest) -> HttpResponse:
    """The joint-punishment C list with public fields only, as the partner API gives it.

    District-wide, so supervisors and admins only."""
    return CListExport().response(c_list(level=Level.C))


def partner_keys(request: HttpRequest) -> HttpResponse:
    _require_admin(request.user)
    keys = PartnerKey.objects.annotate(
        access_count=Count("accesses"), last_access=Max("accesses__at")
    ).order_by("revoked", "-created")
    accesses = PartnerAccess.objects.select_related("key")[:RECENT_ACCESSES]
    return render(
        request,
        "partners/partner_keys.html",
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
        return redirect("partners:partner_keys")
    return render(request, "partners/partner_revoke_confirm.html", {"key": key})


def partner_key_new(request: HttpRequest) -> HttpResponse:
    """GET: the form; POST: a new key, shown once on the answer and never again."""
    _require_admin(request.user)
    name = request.POST.get("partner", "").strip() if request.method == "POST" else ""
    error = ""
    if request.method == "POST":
        if not name:
            error = _("Enter the partner department.")
        elif len(name) > PARTNER_NAME_MAX:
            error = _("The name is too long (at most %(n)s characters).") % {"n": PARTNER_NAME_MAX}
        else:
            key, plain = partner_key_create(name=name)
            response = render(
                request, "partners/partner_key_created.html", {"key": key, "plain": plain}
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "partners/partner_key_new.html", {"name": name, "error": error})
