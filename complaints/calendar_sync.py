"""Recompute open complaints' deadlines when administrators enter a year's official days.

The ground floor's calendar page sends ``official_days_changed``; this floor owns the clocks, so
it answers with the deadlines that moved. The recompute itself is the one the
``complaint_deadlines`` command runs."""

from typing import Any

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from core.signals import DeadlineMoved, official_days_changed

from .models import Complaint
from .services import complaint_deadlines_refresh


@receiver(official_days_changed, dispatch_uid="complaints_calendar_sync")
def complaint_deadlines_after_calendar_change(
    *, years: set[int], **kwargs: Any
) -> list[DeadlineMoved]:
    """Recompute every open complaint (entering a year can move exact deadlines too, not only
    estimated ones) and list those whose running deadline changed or stopped being estimated.

    Two reads of the open complaints' (number, due date) frame the recompute; open complaints
    are a few thousand at most, and this runs once a year per entered schedule."""
    open_complaints = Complaint.objects.open()
    before = {
        pk: (number, due_on, estimated)
        for pk, number, due_on, estimated in open_complaints.values_list(
            "pk", "number", "due_on", "due_estimated"
        )
    }
    complaint_deadlines_refresh(only_estimated=False)
    moved = []
    what = _("Complaint")
    for pk, due_on, estimated in open_complaints.values_list("pk", "due_on", "due_estimated"):
        if pk not in before:
            continue
        number, due_before, estimated_before = before[pk]
        if (due_before, estimated_before) == (due_on, estimated):
            continue
        moved.append(
            DeadlineMoved(
                what=what,
                number=number,
                before=due_before,
                after=due_on,
                estimated_before=estimated_before,
                estimated_after=estimated,
                url=reverse("complaints:detail", kwargs={"pk": pk}),
            )
        )
    moved.sort(key=lambda row: (row.after is None, row.after, row.number))
    return moved
