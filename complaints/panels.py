"""The complaints section of the employer page (order 50)."""

from django.http import HttpRequest
from django.utils import timezone

from employers.models import Employer

from .models import Complaint

PANEL_LIMIT = 10


def complaints_panel(request: HttpRequest, employer: Employer) -> dict | None:
    """Complaints against this employer, newest first. Complainants are always masked here:
    the employer page is read by every inspector of the unit, assigned or not. Hidden when
    there are none and the user could not record one."""
    from employers.panels import user_may_edit

    queryset = (
        Complaint.objects.visible_to(request.user)
        .filter(employer=employer)
        .select_related("unit")
        .order_by("-received_on", "-id")
    )
    complaints = list(queryset[:PANEL_LIMIT])
    may_record = user_may_edit(request.user, employer)
    if not complaints and not may_record:
        return None
    today = timezone.localdate()
    rows = [
        {"complaint": c, "identity": c.identity(masked=True), "clock": c.clock(today)}
        for c in complaints
    ]
    total = len(complaints) if len(complaints) < PANEL_LIMIT else queryset.count()
    return {
        "rows": rows,
        "total": total,
        "open": sum(1 for c in complaints if c.is_open),
        "may_record": may_record,
    }
