"""What every write of the complaints app shares: numbering, assignees, saving with the
clocks recomputed, and the log of who saw a complainant's identity."""

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import Role
from employers.models import Unit

from ..models import (
    Complaint,
    ComplaintNumberCounter,
    IdentityAccess,
)
from .clocks import _clocks_refresh

COMPLAINT_NUMBER_FORMAT = "西青人社投〔{year}〕{serial:04d}号"


def today() -> datetime.date:
    return timezone.localdate()


def _set_history_user(instance: object, user: AbstractBaseUser | None) -> None:
    # simple-history reads the user from the request; services also run from commands and
    # the demo seeder, so name the user explicitly.
    if user is not None:
        instance._history_user = user


def _complaint_number_next(year: int) -> str:
    """Next free number of the year; call inside a transaction (the counter row is locked)."""
    return ComplaintNumberCounter.number_next(
        year=year,
        format_number=lambda serial: COMPLAINT_NUMBER_FORMAT.format(year=year, serial=serial),
        is_taken=lambda number: Complaint.objects.filter(number=number).exists(),
    )


def inspectors_of_unit(unit: Unit) -> "list[AbstractBaseUser]":
    return list(
        get_user_model()
        .objects.filter(units=unit, groups__name=Role.INSPECTOR, is_active=True)
        .distinct()
        .order_by("username")
    )


def _check_assignees(unit: Unit, inspectors: Sequence[AbstractBaseUser], field: str) -> None:
    allowed = {u.pk for u in inspectors_of_unit(unit)}
    strangers = [u for u in inspectors if u.pk not in allowed]
    if strangers:
        raise ValidationError(
            {
                field: _("%(names)s is not an inspector of %(unit)s.")
                % {
                    "names": "、".join(u.get_full_name() or u.get_username() for u in strangers),
                    "unit": unit.name,
                }
            }
        )


def _save(complaint: Complaint, user: AbstractBaseUser | None, **changes: Any) -> Complaint:
    """The complaint with ``changes``, saved with its clocks recomputed."""
    for field, value in changes.items():
        setattr(complaint, field, value)
    _clocks_refresh(complaint)
    complaint.full_clean()
    _set_history_user(complaint, user)
    complaint.save()
    return complaint


def _require_status(complaint: Complaint, *allowed: str) -> None:
    if complaint.status not in allowed:
        raise ValidationError(
            _("Complaint %(number)s is %(status)s; this step is not possible now.")
            % {"number": complaint.number, "status": complaint.get_status_display()}
        )


def _not_future(value: datetime.date | None, field: str) -> None:
    if value is not None and value > today():
        raise ValidationError({field: _("The date cannot be in the future.")})


# --- confidentiality -----------------------------------------------------------------------


def identity_access_log(
    *, complaints: Iterable[Complaint], user: AbstractBaseUser, via: str
) -> int:
    """Record that ``user`` was shown the unmasked identity on each complaint; returns rows."""
    rows = [IdentityAccess(complaint=c, user=user, via=via) for c in complaints if not c.anonymous]
    IdentityAccess.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
