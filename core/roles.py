"""Roles are Django groups. One place answers "who may do what", for every app above."""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.db.models import TextChoices
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _


class Role(TextChoices):
    INSPECTOR = "inspector", _("Inspector")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMIN = "admin", _("Administrator")


def roles_of(user: AbstractBaseUser | AnonymousUser) -> set[str]:
    """The user's role names; cached on the user object for the request."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True)) & set(Role.values)
        if user.is_superuser:
            cached.add(Role.ADMIN)
        user._role_cache = cached
    return cached


def require_role(user: AbstractBaseUser | AnonymousUser) -> None:
    """Logged-in accounts without any role see nothing at all: 404, as for an unknown page."""
    if not roles_of(user):
        raise Http404


def is_admin(user: AbstractBaseUser | AnonymousUser) -> bool:
    return Role.ADMIN in roles_of(user)


def is_supervisor(user: AbstractBaseUser | AnonymousUser) -> bool:
    return Role.SUPERVISOR in roles_of(user)


def is_inspector(user: AbstractBaseUser | AnonymousUser) -> bool:
    return Role.INSPECTOR in roles_of(user)


def sees_whole_district(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Supervisors and admins read every unit; inspectors only their own."""
    return bool(roles_of(user) & {Role.SUPERVISOR, Role.ADMIN})


def role_group(role: str) -> Group:
    group, _created = Group.objects.get_or_create(name=role)
    return group


def role_required(
    *roles: str, message: str = ""
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view: accounts without any role get 404 (as for an unknown page); with
    ``roles`` given, accounts holding none of them get 403 with ``message``.

    ``@role_required()`` admits every role; ``@role_required(Role.ADMIN)`` admins only;
    ``@role_required(Role.SUPERVISOR, Role.ADMIN)`` the whole-district readers."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            held = roles_of(request.user)
            if not held:
                raise Http404
            if roles and not held & set(roles):
                raise PermissionDenied(message or None)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
