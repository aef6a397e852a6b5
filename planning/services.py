"""Writes of inspection planning: patrol intervals and training records."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.forms import BaseModelFormSet, ModelForm

from ratings.patrol_due import patrol_due_refresh

from .models import PatrolInterval, TrainingSession


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
    if changed:
        # The stored due dates of every rating at a changed level move with the interval.
        transaction.on_commit(lambda: patrol_due_refresh(levels=changed))
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
