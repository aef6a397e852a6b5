"""The training panel on the employer page (listed in xiqing_credit/panels.py)."""

from django.http import HttpRequest

from employers.models import Employer

from .models import TrainingAttendance
from .selectors import training_status

RECENT_ATTENDANCES = 10


def training_panel_context(request: HttpRequest, employer: Employer) -> dict | None:
    """Training status and recent attendances; hidden for employers that were never C and
    have no training records. Two queries."""
    status = training_status(employer)
    attendances = list(
        TrainingAttendance.objects.filter(employer=employer)
        .select_related("session")
        .order_by("-session__held_on", "-id")[:RECENT_ATTENDANCES]
    )
    if not status.is_c and not attendances:
        return None
    return {"status": status, "attendances": attendances}
