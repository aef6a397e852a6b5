"""Writes for the uses of the level: patrol intervals, training records, partner keys.

The rating engine's own writes live in ``ratings/services.py``.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest

from .models import PartnerAccess, PartnerKey, PatrolInterval, TrainingSession


@transaction.atomic
def patrol_intervals_update(*, months: dict[str, int]) -> list[str]:
    """Set the months between patrols per level; returns the levels that changed.

    Each change is saved on its own row so the history shows who changed which level."""
    changed = []
    for level, value in months.items():
        interval, created = PatrolInterval.objects.select_for_update().get_or_create(
            level=level, defaults={"months": value}
        )
        if created:
            changed.append(level)
        elif interval.months != value:
            interval.months = value
            interval.save(update_fields=["months"])
            changed.append(level)
    return changed


@transaction.atomic
def training_session_save(
    *,
    session_form: ModelForm,
    attendance_formset: BaseModelFormSet,
    user: AbstractBaseUser,
) -> TrainingSession:
    """Save a session and its attendance rows (both already validated) in one transaction."""
    session = session_form.save(commit=False)
    if session.pk is None:
        session.created_by = user
    session.save()
    attendance_formset.instance = session
    for attendance in attendance_formset.save(commit=False):
        attendance.session = session
        attendance.save()
    return session


def partner_key_create(*, name: str) -> tuple[PartnerKey, str]:
    """A new key for a partner department; the plain key is returned once and never stored."""
    # AbstractAPIKey.name is limited to 50 characters; the full name stays in ``partner``.
    key, plain = PartnerKey.objects.create_key(name=name[:50], partner=name)
    return key, plain


def partner_key_revoke(*, key: PartnerKey) -> bool:
    """Revoke a key for good; False when it was already revoked."""
    if key.revoked:
        return False
    key.revoked = True
    key.save(update_fields=["revoked"])
    return True


def partner_access_log(
    *, request: HttpRequest, key: PartnerKey | None, status_code: int, rows: int
) -> PartnerAccess:
    """One row per API request, denied ones included (``key`` is None when no valid key)."""
    return PartnerAccess.objects.create(
        key=key,
        path=request.path[:300],
        query=request.META.get("QUERY_STRING", "")[:500],
        status_code=status_code,
        rows=rows,
        # The proxy in front sets REMOTE_ADDR correctly; X-Forwarded-For can be forged.
        remote_addr=request.META.get("REMOTE_ADDR") or None,
    )
