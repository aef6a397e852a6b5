"""Reads of the partner exchange: the public list of one level."""

from django.db.models import QuerySet

from ratings.models import Level, Rating


def c_list(*, level: str = Level.C) -> QuerySet[Rating]:
    """The public list for partner departments: one level, district-wide, stable order."""
    return (
        Rating.objects.filter(level=level)
        .select_related("employer", "employer__unit")
        .order_by("employer_id")
    )
