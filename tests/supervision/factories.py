"""Factories of the coverage and digest tests, from ``supervision/factories.py`` (complaints
with their clocks set: ``complaints/factories.py``)."""

from complaints.factories import ComplaintFactory
from supervision.factories import (
    RatingFactory,
    WrittenReviewFactory,
    employer_added_on,
    local_datetime,
    returned_review,
)

__all__ = [
    "ComplaintFactory",
    "RatingFactory",
    "WrittenReviewFactory",
    "employer_added_on",
    "local_datetime",
    "returned_review",
]
