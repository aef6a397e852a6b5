"""Writes to the employer registry from the employer form: create, edit, deregister. Views
call these; they hold no rules of their own. (The roster import is ``employers.importer``.)"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from .models import Employer


def employer_create(*, user: AbstractBaseUser, data: Mapping[str, Any]) -> Employer:
    """Register one employer from cleaned form data; history records ``user``."""
    employer = Employer(**data)
    employer._history_user = user
    employer.full_clean()
    employer.save()
    return employer


def employer_update(
    *, employer: Employer, user: AbstractBaseUser, data: Mapping[str, Any]
) -> Employer:
    """Change the fields given; history records who changed what."""
    for name, value in data.items():
        setattr(employer, name, value)
    employer._history_user = user
    employer.full_clean()
    employer.save()
    return employer


def employer_deregister(*, employer: Employer, user: AbstractBaseUser) -> Employer:
    """Mark the employer deregistered (注销): it stays in the registry with its records."""
    if employer.status != Employer.Status.DEREGISTERED:
        employer.status = Employer.Status.DEREGISTERED
        employer._history_user = user
        employer.save(update_fields=["status", "updated_at"])
    return employer
