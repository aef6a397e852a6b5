"""The home pages: an inspector's day, and what waits for a supervisor's decision."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import Role, role_required

from ..my_day import inspector_day, supervisor_decisions


@role_required(Role.INSPECTOR, message=_("My day is the page of inspectors."))
def my_day(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "planning/my_day.html",
        {"day": inspector_day(user=request.user, today=today), "today": today},
    )


@role_required(Role.SUPERVISOR, Role.ADMIN, message=_("Decisions are taken by supervisors."))
def decisions(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "planning/decisions.html",
        {"decisions": supervisor_decisions(user=request.user, today=today), "today": today},
    )
