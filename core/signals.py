"""Signals the ground floor sends to the floors above it, which it must not import."""

import datetime
from dataclasses import dataclass

from django.dispatch import Signal

# Sent by ``core.services.official_days_replace_year`` inside its transaction, after the table
# changed, with ``years`` (a set of ints) and ``user``. A receiver recomputes the deadlines that
# count working days in those years and returns the list of ``DeadlineMoved`` it changed.
official_days_changed = Signal()


@dataclass(frozen=True)
class DeadlineMoved:
    """One open deadline that a calendar change moved, as the calendar page lists it."""

    what: str  # e.g. "Complaint", already translated
    number: str
    before: datetime.date | None
    after: datetime.date | None
    estimated_before: bool
    estimated_after: bool
    url: str = ""
