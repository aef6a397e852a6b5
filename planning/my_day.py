"""Reads of the home pages: an inspector's day and what waits for a supervisor's decision.

Each section is one bounded query (``SECTION_LIMIT`` rows, with its total), so the page costs
the same whatever the size of the district."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from complaints.models import Complaint, DeadlineExtension
from inspections.models import Case, WrittenReview
from ratings.selectors import early_warning_cases

from .draws import drawn_for_inspector
from .selectors import employers_patrol_due, filter_due_by, patrol_intervals

SECTION_LIMIT = 20


@dataclass
class Section:
    """The first rows of a list and how many there are in all."""

    rows: list[Any] = field(default_factory=list)
    total: int = 0

    @classmethod
    def of(cls, queryset: QuerySet) -> "Section":
        rows = list(queryset[: SECTION_LIMIT + 1])
        total = len(rows) if len(rows) <= SECTION_LIMIT else queryset.count()
        return cls(rows[:SECTION_LIMIT], total)

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


@dataclass
class InspectorDay:
    drawn: Section
    patrols_due: Section
    complaints: Section
    reviews_returned: Section
    early_warnings: Section


def inspector_day(*, user: AbstractBaseUser, today: datetime.date) -> InspectorDay:
    """Today's patrols (drawn for the inspector, then those due by today in their units) and
    the clocks running out: their complaints, returned reviews, early warnings."""
    due = filter_due_by(employers_patrol_due(user=user, intervals=patrol_intervals()), today)
    complaints = (
        Complaint.objects.open()
        .filter(inspectors=user, due_on__isnull=False)
        .select_related("employer", "unit")
        .order_by("due_on", "pk")
    )
    returned = (
        WrittenReview.objects.visible_to(user)
        .filter(status=WrittenReview.Status.RETURNED)
        .select_related("employer")
        .order_by("resubmit_deadline", "pk")
    )
    return InspectorDay(
        drawn=Section.of(drawn_for_inspector(user)),
        patrols_due=Section.of(due.order_by("patrol_due_on", "pk")),
        complaints=Section.of(complaints),
        reviews_returned=Section.of(returned),
        early_warnings=Section.of(early_warning_cases(user=user, today=today)),
    )


@dataclass
class SupervisorDecisions:
    extensions: Section
    serious_flags: Section
    complaints_overdue: Section


def supervisor_decisions(*, user: AbstractBaseUser, today: datetime.date) -> SupervisorDecisions:
    """Deadline extensions awaiting approval, violations flagged serious that no supervisor
    has judged yet, and the district's complaints past their deadline."""
    extensions = (
        DeadlineExtension.objects.filter(status=DeadlineExtension.Status.PENDING)
        .select_related("complaint", "complaint__employer", "requested_by")
        .order_by("requested_on", "pk")
    )
    serious = (
        Case.objects.filter(serious=True, serious_judged_by__isnull=True, withdrawn=False)
        .select_related("employer")
        .order_by("opened_on", "pk")
    )
    overdue = (
        Complaint.objects.visible_to(user)
        .overdue(today)
        .select_related("employer", "unit")
        .order_by("due_on", "pk")
    )
    return SupervisorDecisions(
        extensions=Section.of(extensions),
        serious_flags=Section.of(serious),
        complaints_overdue=Section.of(overdue),
    )
