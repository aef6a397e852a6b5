"""The steps of a complaint: accept, reject, materials, close, answer, assign, extensions.

Most steps are the same page (a small form, one service call, errors back on the form), so
each is declared as a `Step` saying only what differs: the form, the service, the form fields
it passes on, and the texts.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.pages import form_saved
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
from .common import get_complaint_for_edit, get_complaint_for_user

Text = str | Promise


def _step(
    request: HttpRequest,
    complaint: Complaint,
    *,
    form: Form,
    title: Text,
    perform: Callable[[dict[str, Any]], Any],
    success: Text,
    confirm: Text = "",
) -> HttpResponse:
    """A step page: a small form, the service call, errors back on the form, then the page."""
    done = form_saved(request, form, perform, success, then=complaint)
    return done or render(
        request,
        "complaints/complaint_step.html",
        {"complaint": complaint, "form": form, "title": title, "confirm": confirm},
    )


def _manages_assignments(user: AbstractBaseUser) -> bool:
    return bool(roles_of(user) & {Role.SUPERVISOR, Role.ADMIN})


def _inspects(user: AbstractBaseUser) -> bool:
    return Role.INSPECTOR in roles_of(user)


@dataclass(frozen=True)
class Step:
    """A step that calls `service(complaint=, user=, **the form's cleaned data)`: each step
    form has exactly the service's arguments as fields."""

    form: type[Form]
    service: Callable[..., Any]
    title: Text
    success: Text
    confirm: Text = ""
    # The date field that starts at today.
    dated: str = ""
    # The form picks inspectors: it needs the complaint and the user, and starts from the team.
    picks_inspectors: bool = False
    fetch: Callable[[AbstractBaseUser, int], Complaint] = get_complaint_for_edit
    # Checked after the fetch, so a complaint the user may not see stays a 404.
    allowed: Callable[[AbstractBaseUser], bool] | None = None

    def __call__(self, request: HttpRequest, pk: int) -> HttpResponse:
        complaint = self.fetch(request.user, pk)
        if self.allowed is not None and not self.allowed(request.user):
            raise PermissionDenied
        initial: dict[str, Any] = {self.dated: timezone.localdate()} if self.dated else {}
        kwargs: dict[str, Any] = {}
        if self.picks_inspectors:
            initial["inspectors"] = [u.pk for u in complaint.inspectors.all()]
            kwargs = {"complaint": complaint, "user": request.user}
        return _step(
            request,
            complaint,
            form=self.form(request.POST or None, initial=initial, **kwargs),
            title=self.title,
            perform=lambda data: self.service(complaint=complaint, user=request.user, **data),
            success=self.success,
            confirm=self.confirm,
        )


complaint_accept = Step(
    AcceptForm,
    services.complaint_accept,
    title=_("Accept complaint and open a case"),
    success=_("Complaint accepted; the enforcement case has been opened."),
    confirm=_("Accept this complaint and open an enforcement case?"),
    dated="accepted_on",
    picks_inspectors=True,
)
complaint_reject = Step(
    RejectForm,
    services.complaint_reject,
    title=pgettext_lazy("complaint", "Not accepted"),
    success=_("Recorded as not accepted."),
    confirm=_("Record this complaint as not accepted? This ends it."),
    dated="decided_on",
)
complaint_supplement = Step(
    SupplementForm,
    services.complaint_request_supplement,
    title=_("Ask the complainant to supplement materials"),
    success=_("The acceptance clock is paused until the materials come in."),
    dated="requested_on",
)
complaint_supplemented = Step(
    SupplementedForm,
    services.complaint_supplemented,
    title=_("Supplementary materials received"),
    success=_("The 5 working days for the acceptance decision run again."),
    dated="supplemented_on",
)
complaint_close = Step(
    CloseForm,
    services.complaint_close,
    title=_("Close complaint"),
    success=_("Complaint closed."),
    confirm=_("Close this complaint with this outcome?"),
    dated="closed_on",
)
complaint_answer = Step(
    AnswerForm,
    services.complaint_record_answer,
    title=_("Complainant answered"),
    success=_("Answer date recorded."),
    dated="answered_on",
)
complaint_assign = Step(
    AssignForm,
    services.complaint_assign,
    title=_("Assign inspectors"),
    success=_("Assignment saved."),
    picks_inspectors=True,
    fetch=get_complaint_for_user,
    allowed=_manages_assignments,
)
extension_request = Step(
    ExtensionRequestForm,
    services.extension_request,
    title=_("Request an extension of the investigation"),
    success=_("Extension requested; a supervisor will decide."),
    allowed=_inspects,
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


def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_user(request.user, pk)
    if not is_supervisor(request.user):
        raise PermissionDenied
    extension = get_object_or_404(
        DeadlineExtension, complaint=complaint, status=DeadlineExtension.Status.PENDING
    )
    return _step(
        request,
        complaint,
        form=ExtensionDecisionForm(request.POST or None),
        title=_("Decide on the extension request"),
        perform=lambda data: services.extension_decide(
            extension=extension,
            approve=data["decision"] == "approve",
            note=data["note"],
            user=request.user,
        ),
        success=_("Decision recorded."),
    )
