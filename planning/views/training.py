"""Training of C employers' principal and directly responsible persons."""

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from core.roles import role_required
from employers.models import Employer

from ..forms import AttendanceFormSet, TrainingSessionForm
from ..models import TrainingSession
from ..selectors import filter_untrained, patrol_intervals, sessions_visible_to, watchlist
from ..services import training_session_save
from ..tables import TrainingSessionTable, UntrainedTable

PAGE_SIZE = 50


def _get_session_for_user(user: AbstractBaseUser, pk: int) -> TrainingSession:
    """The session if this user may see it; 404 otherwise."""
    return get_object_or_404(sessions_visible_to(user), pk=pk)


@role_required()
def training_list(request: HttpRequest) -> HttpResponse:
    visible = Employer.objects.visible_to(request.user)
    sessions = sessions_visible_to(request.user).annotate(
        attendee_count=Count(
            "attendances",
            filter=Q(attendances__attended=True, attendances__employer__in=visible),
        )
    )
    sessions_table = TrainingSessionTable(sessions, prefix="s-")
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(sessions_table)
    untrained = filter_untrained(watchlist(user=request.user, intervals=patrol_intervals()))
    untrained_table = UntrainedTable(untrained, prefix="u-")
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(untrained_table)
    return render(
        request,
        "planning/training_list.html",
        {"sessions_table": sessions_table, "untrained_table": untrained_table},
    )


@role_required()
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session_for_user(request.user, pk)
    attendances = session.attendances.filter(
        employer__in=Employer.objects.visible_to(request.user)
    ).select_related("employer__unit")
    return render(
        request,
        "planning/training_detail.html",
        {"session": session, "attendances": attendances},
    )


def _edit(request: HttpRequest, session: TrainingSession | None) -> HttpResponse:
    instance = session or TrainingSession(held_on=timezone.localdate())
    data = request.POST if request.method == "POST" else None
    session_form = TrainingSessionForm(data, instance=instance)
    formset = AttendanceFormSet(data, instance=instance, user=request.user, prefix="att")
    if data is not None and session_form.is_valid() and formset.is_valid():
        saved = training_session_save(
            session_form=session_form, attendance_formset=formset, user=request.user
        )
        messages.success(request, _("Training session saved."))
        return redirect("planning:training_detail", pk=saved.pk)
    return render(
        request,
        "planning/training_form.html",
        {"session": session, "form": session_form, "formset": formset},
    )


@role_required()
def training_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@role_required()
def training_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, _get_session_for_user(request.user, pk))
