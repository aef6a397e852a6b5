"""Sections of the employer page contributed by this app (registered in apps.py)."""

from django.http import HttpRequest
from django.utils import timezone

from employers.models import Employer
from employers.panels import user_may_edit

PANEL_ROWS = 10


def _may_edit(request: HttpRequest, employer: Employer) -> bool:
    """Asked by all three panels of one page: one query, remembered on the request."""
    cache = request.__dict__.setdefault("_inspections_may_edit", {})
    if employer.pk not in cache:
        cache[employer.pk] = user_may_edit(request.user, employer)
    return cache[employer.pk]


def patrols_panel(request: HttpRequest, employer: Employer) -> dict:
    patrols = employer.patrols.prefetch_related("inspectors").order_by("-patrolled_on", "-id")
    return {
        "patrols": patrols[:PANEL_ROWS],
        "total": employer.patrols.count(),
        "may_edit": _may_edit(request, employer),
    }


def cases_panel(request: HttpRequest, employer: Employer) -> dict:
    return {
        "cases": employer.cases.order_by("-opened_on", "-id")[:PANEL_ROWS],
        "total": employer.cases.count(),
        "today": timezone.localdate(),
        "may_edit": _may_edit(request, employer),
    }


def reviews_panel(request: HttpRequest, employer: Employer) -> dict:
    return {
        "reviews": employer.written_reviews.order_by("-year")[:PANEL_ROWS],
        "today": timezone.localdate(),
        "may_edit": _may_edit(request, employer),
    }
