"""User administration pages (admins only): the hub, the users, one user, its actions.

Every action that takes something away (deactivate, reset a password) asks first: a GET shows
the question, a POST does it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.roles import Role, role_required, roles_of

from ..models import Unit
from .forms import StaffUserForm
from .services import (
    SavedUser,
    staff_lockout_reset,
    staff_user_reset_password,
    staff_user_save,
    staff_user_set_active,
)

ADMINS_ONLY = gettext_lazy("Only administrators manage users.")
PAGE_LIMIT = 500


def _get_user_for_admin(pk: int) -> AbstractBaseUser:
    return get_object_or_404(get_user_model().objects.prefetch_related("groups", "units"), pk=pk)


def _locked_usernames(usernames: list[str]) -> set[str]:
    from axes.models import AccessAttempt

    return set(
        AccessAttempt.objects.filter(
            username__in=usernames, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
        ).values_list("username", flat=True)
    )


def _show_once(request: HttpRequest, user: AbstractBaseUser, password: str) -> HttpResponse:
    """The one page that shows a password; it is not stored anywhere in plain text."""
    response = render(
        request, "employers/staff/password_once.html", {"staff_user": user, "password": password}
    )
    response["Cache-Control"] = "no-store"
    return response


@role_required(Role.ADMIN, message=ADMINS_ONLY)
def staff_home(request: HttpRequest) -> HttpResponse:
    """Links to every administration page; the draw defaults are settings, shown here."""
    shares = {
        level: round(float(share) * 100)
        for level, share in sorted(settings.DRAW_DEFAULT_SHARES.items())
    }
    return render(
        request,
        "employers/staff/home.html",
        {"draw_shares": shares, "draw_publish_workdays": settings.DRAW_PUBLISH_WORKDAYS},
    )


@role_required(Role.ADMIN, message=ADMINS_ONLY)
def staff_user_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    users = get_user_model().objects.prefetch_related(
        "groups", Prefetch("units", queryset=Unit.objects.order_by("code"))
    )
    if query:
        users = users.filter(Q(username__icontains=query) | Q(first_name__icontains=query))
    users = list(users.order_by("-is_active", "username")[:PAGE_LIMIT])
    locked = _locked_usernames([u.username for u in users])
    for user in users:
        user.role_names = sorted(roles_of(user))
        user.locked = user.username in locked
    return render(request, "employers/staff/user_list.html", {"users": users, "q": query})


def _save_from(form: StaffUserForm, username: str) -> SavedUser | None:
    """Save the user as the valid form says; None, with the refusal on the form, if refused."""
    data = form.cleaned_data
    try:
        return staff_user_save(
            username=username,
            role=data["role"],
            units=list(data["units"]),
            full_name=data["full_name"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None


@role_required(Role.ADMIN, message=ADMINS_ONLY)
def staff_user_create(request: HttpRequest) -> HttpResponse:
    form = StaffUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = _save_from(form, form.cleaned_data["username"])
        if saved is not None:
            messages.success(request, _("User %(name)s created.") % {"name": saved.user.username})
            return _show_once(request, saved.user, saved.generated_password)
    return render(request, "employers/staff/user_form.html", {"form": form, "editing": None})


@role_required(Role.ADMIN, message=ADMINS_ONLY)
def staff_user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _get_user_for_admin(pk)
    roles = sorted(roles_of(user))
    initial = {
        "username": user.username,
        "full_name": user.first_name,
        "role": roles[0] if roles else "",
        "units": list(user.units.all()),
    }
    form = StaffUserForm(request.POST or None, initial=initial, editing=user)
    if request.method == "POST" and form.is_valid() and _save_from(form, user.username) is not None:
        messages.success(request, _("User %(name)s saved.") % {"name": user.username})
        return redirect("employers:staff_user_edit", pk=user.pk)
    locked = bool(_locked_usernames([user.username]))
    return render(
        request,
        "employers/staff/user_form.html",
        {"form": form, "editing": user, "locked": locked},
    )


@role_required(Role.ADMIN, message=ADMINS_ONLY)
def staff_user_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """deactivate / activate / password / unlock: GET asks, POST does."""
    user = _get_user_for_admin(pk)
    questions = {
        "deactivate": _("Deactivate %(name)s? They can no longer log in."),
        "activate": _("Reactivate %(name)s? They can log in again."),
        "password": _("Give %(name)s a new one-time password? The old one stops working."),
        "unlock": _("Clear the failed logins of %(name)s so they can try again at once?"),
    }
    if action not in questions:
        return redirect("employers:staff_user_edit", pk=user.pk)
    if action == "deactivate" and user.pk == request.user.pk:
        messages.error(request, _("You cannot deactivate your own account."))
        return redirect("employers:staff_user_edit", pk=user.pk)
    if request.method != "POST":
        return render(
            request,
            "employers/staff/confirm.html",
            {
                "staff_user": user,
                "question": questions[action] % {"name": user.username},
                "danger": action in ("deactivate", "password"),
            },
        )
    if action == "password":
        return _show_once(request, user, staff_user_reset_password(user=user))
    if action == "unlock":
        staff_lockout_reset(user=user)
        messages.success(request, _("Failed logins of %(name)s cleared.") % {"name": user.username})
    else:
        staff_user_set_active(user=user, active=action == "activate")
        done = _("%(name)s deactivated.") if action == "deactivate" else _("%(name)s reactivated.")
        messages.success(request, done % {"name": user.username})
    return redirect("employers:staff_user_edit", pk=user.pk)
