"""The steps of a complaint: accept, reject, materials, close, answer, assign, extensions."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.roles import Role, is_supervisor, roles_of

from .. import services
from ..forms import (
    AcceptForm,
    AnswerForm,
    AssignForm,
    CloseForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    LinkEmployerForm,
    RejectForm,
    SupplementedForm,
    SupplementForm,
)
from ..models import Complaint, DeadlineExtension
from .common import (
    get_complaint_for_edit,
    get_complaint_for_user,
)
from .pages import (
    errors_to_form,
)

# --- steps ---------------------------------------------------------------------------------


def _step(
    request: HttpRequest,
    complaint: Complaint,
    *,
    form: Form,
    title: str,
    perform: Callable[[dict[str, Any]], Any],
    success: str,
    confirm: str = "",
) -> HttpResponse:
    """A step page: a small form, the service call, errors back on the form, then the page."""
    if request.method == "POST" and form.is_valid():
        try:
            perform(form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, success)
            return redirect(complaint)
    return render(
        request,
        "complaints/complaint_step.html",
        {"complaint": complaint, "form": form, "title": title, "confirm": confirm},
    )


def complaint_accept(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_edit(request.user, pk)
    form = AcceptForm(
        request.POST or None,
        complaint=complaint,
        user=request.user,
        initial={
            "accepted_on": timezone.localdate(),
            "inspectors": [u.pk for u in complaint.inspectors.all()],
        },
    )
    return _step(
        request,
        complaint,
        form=form,
        title=_("Accept complaint and open a case"),
        perform=lambda data: services.complaint_accept(
            complaint=complaint,
            accepted_on=data["accepted_on"],
            inspectors=data["inspectors"],
            user=request.user,
        ),
        success=_("Complaint accepted; the enforcement case has been opened."),
        confirm=_("Accept this complaint and open an enforcement case?"),
    )


def complaint_reject(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_edit(request.user, pk)
    form = RejectForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    return _step(
        request,
        complaint,
        form=form,
        title=pgettext("complaint", "Not accepted"),
        perform=lambda data: services.complaint_reject(
            complaint=complaint,
            decided_on=data["decided_on"],
            reason=data["reason"],
            note=data["note"],
            answered_on=data["answered_on"],
            user=request.user,
        ),
        success=_("Recorded as not accepted."),
        confirm=_("Record this complaint as not accepted? This ends it."),
    )


def complaint_supplement(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_edit(request.user, pk)
    form = SupplementForm(request.POST or None, initial={"requested_on": timezone.localdate()})
    return _step(
        request,
        complaint,
        form=form,
        title=_("Ask the complainant to supplement materials"),
        perform=lambda data: services.complaint_request_supplement(
            complaint=complaint,
            requested_on=data["requested_on"],
            note=data["note"],
            user=request.user,
        ),
        success=_("The acceptance clock is paused until the materials come in."),
    )


def complaint_supplemented(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_edit(request.user, pk)
    form = SupplementedForm(request.POST or None, initial={"supplemented_on": timezone.localdate()})
    return _step(
        request,
        complaint,
        form=form,
        title=_("Supplementary materials received"),
        perform=lambda data: services.complaint_supplemented(
            complaint=complaint, supplemented_on=data["supplemented_on"], user=request.user
        ),
        success=_("The 5 working days for the acceptance decision run again."),
    )


def complaint_close(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_edit(request.user, pk)
    form = CloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    return _step(
        request,
        complaint,
        form=form,
        title=_("Close complaint"),
        perform=lambda data: services.complaint_close(
            complaint=complaint,
            outcome=data["outcome"],
            note=data["note"],
            answered_on=data["answered_on"],
            closed_on=data["closed_on"],
            user=request.user,
        ),
        success=_("Complaint closed."),
        confirm=_("Close this complaint with this outcome?"),
    )


def complaint_answer(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_edit(request.user, pk)
    form = AnswerForm(request.POST or None, initial={"answered_on": timezone.localdate()})
    return _step(
        request,
        complaint,
        form=form,
        title=_("Complainant answered"),
        perform=lambda data: services.complaint_record_answer(
            complaint=complaint, answered_on=data["answered_on"], user=request.user
        ),
        success=_("Answer date recorded."),
    )


def complaint_link_employer(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_edit(request.user, pk)
    form = LinkEmployerForm(request.POST or None, user=request.user)
    return _step(
        request,
        complaint,
        form=form,
        title=_("Link to a registered employer"),
        perform=lambda data: services.complaint_link_employer(
            complaint=complaint, employer=data["employer_query"], user=request.user
        ),
        success=_("Complaint linked to the registered employer."),
    )


def complaint_assign(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_user(request.user, pk)
    if not roles_of(request.user) & {Role.SUPERVISOR, Role.ADMIN}:
        raise PermissionDenied
    form = AssignForm(
        request.POST or None,
        complaint=complaint,
        user=request.user,
        initial={"inspectors": [u.pk for u in complaint.inspectors.all()]},
    )
    return _step(
        request,
        complaint,
        form=form,
        title=_("Assign inspectors"),
        perform=lambda data: services.complaint_assign(
            complaint=complaint, inspectors=data["inspectors"], user=request.user
        ),
        success=_("Assignment saved."),
    )


def extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_edit(request.user, pk)
    if Role.INSPECTOR not in roles_of(request.user):
        raise PermissionDenied
    form = ExtensionRequestForm(request.POST or None)
    return _step(
        request,
        complaint,
        form=form,
        title=_("Request an extension of the investigation"),
        perform=lambda data: services.extension_request(
            complaint=complaint,
            workdays=data["workdays"],
            reason=data["reason"],
            user=request.user,
        ),
        success=_("Extension requested; a supervisor will decide."),
    )


def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_user(request.user, pk)
    if not is_supervisor(request.user):
        raise PermissionDenied
    extension = get_object_or_404(
        DeadlineExtension, complaint=complaint, status=DeadlineExtension.Status.PENDING
    )
    form = ExtensionDecisionForm(request.POST or None)
    return _step(
        request,
        complaint,
        form=form,
        title=_("Decide on the extension request"),
        perform=lambda data: services.extension_decide(
            extension=extension,
            approve=data["decision"] == "approve",
            note=data["note"],
            user=request.user,
        ),
        success=_("Decision recorded."),
    )
