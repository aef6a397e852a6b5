"""The home pages: an inspector's day, and what waits for a supervisor's decision."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import Role, role_required

from ..my_day import inspector_day, supervisor_decisions


def _today_page(request: HttpRequest, template: str, name: str, of_day) -> HttpResponse:
    """A page of what ``of_day(user=, today=)`` gives the user today, as ``name``."""
    today = timezone.localdate()
    context = {name: of_day(user=request.user, today=today), "today": today}
    return render(request, template, context)


@role_required(Role.INSPECTOR, message=_("My day is the page of inspectors."))
def my_day(request: HttpRequest) -> HttpResponse:
    return _today_page(request, "planning/my_day.html", "day", inspector_day)


@role_required(Role.SUPERVISOR, Role.ADMIN, message=_("Decisions are taken by supervisors."))
def decisions(request: HttpRequest) -> HttpResponse:
    return _today_page(request, "planning/decisions.html", "decisions", supervisor_decisions)
