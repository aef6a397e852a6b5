"""The complaints app's records: the complaint itself, and what hangs off it."""

from .complaint import (
    ACCEPTANCE_WORKDAYS,
    DUE_SOON_WORKDAYS,
    INVESTIGATION_WORKDAYS,
    MAX_EXTENSION_WORKDAYS,
    Clock,
    Complaint,
    ComplaintQuerySet,
    Identity,
)
from .records import ComplaintItem, ComplaintNumberCounter, DeadlineExtension, IdentityAccess

__all__ = [
    "ACCEPTANCE_WORKDAYS",
    "DUE_SOON_WORKDAYS",
    "INVESTIGATION_WORKDAYS",
    "MAX_EXTENSION_WORKDAYS",
    "Clock",
    "Complaint",
    "ComplaintItem",
    "ComplaintNumberCounter",
    "ComplaintQuerySet",
    "DeadlineExtension",
    "Identity",
    "IdentityAccess",
]
