"""Reads of the partner exchange: the public list of one level."""

from django.db.models import QuerySet

from ratings.models import Level, Rating
from ratings.procedure.selectors import rating_list_for_partners


def c_list(*, level: str = Level.C) -> QuerySet[Rating]:
    """The public list for partner departments: one level, district-wide, stable order.

    A C goes out only once its listing is final (``ratings_final_for_partners``: notice
    served, objection period passed or objection decided); every row has ``final_on``."""
    return rating_list_for_partners(level=level)
