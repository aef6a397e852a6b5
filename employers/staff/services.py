"""Writes of user administration; the one way a user is made (form, command, demo)."""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.roles import Role, role_group

from ..models import Unit


@dataclass(frozen=True)
class SavedUser:
    user: AbstractBaseUser
    created: bool
    # Set when the service made the password: shown once, never stored in plain text.
    generated_password: str | None


def one_time_password() -> str:
    return secrets.token_urlsafe(12)


@transaction.atomic
def staff_user_save(
    *,
    username: str,
    role: str,
    units: Sequence[Unit] | None = None,
    password: str | None = None,
    email: str = "",
    full_name: str = "",
) -> SavedUser:
    """Create or update a user with one role and its area units (None: leave them as they are).

    A new user without a password gets a random one (returned once). Raises ValidationError
    (Chinese messages) for an inspector without a unit or a password the validators reject;
    the atomic block then also undoes the creation."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role: %(role)s") % {"role": role})
    if role == Role.INSPECTOR and units is not None and not units:
        raise ValidationError(_("An inspector needs at least one area unit."))
    user, created = get_user_model().objects.get_or_create(username=username)
    generated = None
    if password is None and created:
        password = generated = one_time_password()
    if password is not None:
        validate_password(password, user)
        user.set_password(password)
    if email:
        user.email = email
    if full_name:
        user.first_name = full_name
    user.is_staff = role == Role.ADMIN
    user.save()
    user.groups.remove(*[role_group(r) for r in Role.values if r != role])
    user.groups.add(role_group(role))
    if units is not None:
        user.units.set(units)
    return SavedUser(user, created, generated)


def staff_user_reset_password(*, user: AbstractBaseUser) -> str:
    """A new one-time password for the user; returned once."""
    password = one_time_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    return password


def staff_user_set_active(*, user: AbstractBaseUser, active: bool) -> bool:
    """Deactivate (or reactivate) an account; False when nothing changed. A deactivated user
    cannot log in; their records keep their name."""
    if user.is_active == active:
        return False
    user.is_active = active
    user.save(update_fields=["is_active"])
    return True


def staff_lockout_reset(*, user: AbstractBaseUser) -> int:
    """Clear django-axes' failed-login records of the user; returns how many were removed."""
    from axes.utils import reset

    return reset(username=user.get_username())
