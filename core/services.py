"""Writes of the ground floor: entering a year's official days."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import workdays
from core.models import OfficialDay
from core.signals import DeadlineMoved, official_days_changed


@dataclass(frozen=True)
class OfficialDayInput:
    date: datetime.date
    kind: str
    name: str = ""


def official_days_replace_year(
    *,
    year: int,
    days: Iterable[OfficialDayInput],
    source: str,
    user: AbstractBaseUser | None,
) -> list[DeadlineMoved]:
    """Replace the table's schedule of ``year`` with ``days`` and recompute the open deadlines.

    Removes the rows of ``year`` and any row on one of the new dates (a newer notice wins over an
    older row for the same day, e.g. 31 December entered with the next year's 元旦), inserts the
    new rows, then sends ``official_days_changed`` so the apps above recompute; returns what they
    moved. All in one transaction: a failing recompute leaves the table as it was."""
    days = list(days)
    errors = []
    seen: set[datetime.date] = set()
    for day in days:
        if day.kind not in OfficialDay.Kind.values:
            errors.append(_("%(date)s: unknown kind “%(kind)s”.") % _params(day))
        if day.date in seen:
            errors.append(_("%(date)s is listed twice.") % _params(day))
        seen.add(day.date)
        if abs(day.date.year - year) > 1:
            errors.append(
                _("%(date)s is not in or next to %(year)s.") % {**_params(day), "year": year}
            )
    if not days:
        errors.append(_("Enter at least one day."))
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    try:
        with transaction.atomic():
            replaced = OfficialDay.objects.filter(Q(year=year) | Q(date__in=seen))
            years = {year} | set(replaced.values_list("year", flat=True).distinct())
            replaced.delete()
            OfficialDay.objects.bulk_create(
                OfficialDay(
                    date=day.date,
                    kind=day.kind,
                    year=year,
                    name=day.name.strip(),
                    source=source.strip(),
                    entered_by=user,
                    entered_at=now,
                )
                for day in days
            )
            # bulk_create sends no post_save: drop the cached table before anyone recomputes.
            workdays.official_days_invalidate()
            moved: list[DeadlineMoved] = []
            for _receiver, result in official_days_changed.send(
                sender=OfficialDay, years=years, user=user
            ):
                moved.extend(result or [])
    finally:
        # After a rollback the cache may hold rows that no longer exist.
        workdays.official_days_invalidate()
    return moved


def _params(day: OfficialDayInput) -> dict[str, str]:
    return {"date": day.date.isoformat(), "kind": day.kind}
