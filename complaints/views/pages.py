"""Intake, the complaint page, its history and the edit form."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pages import form_saved
from core.roles import Role, is_supervisor, role_required, roles_of

from .. import services
from ..forms import (
    ComplaintEditForm,
    ComplaintIntakeForm,
    ExtensionDecisionForm,
)
from ..history import history_entries
from ..models import Complaint, DeadlineExtension, IdentityAccess
from .common import get_complaint_for_edit, get_complaint_for_user

# --- intake --------------------------------------------------------------------------------


@role_required(Role.INSPECTOR, Role.ADMIN)
def complaint_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.GET.get("employer"):
        initial["employer_query"] = request.GET["employer"]
    form = ComplaintIntakeForm(request.POST or None, user=request.user, initial=initial)
    registered = form_saved(
        request,
        form,
        lambda data: services.complaint_register(
            complaint=form.instance,
            items=data["items"],
            inspectors=data["inspectors"],
            user=request.user,
        ),
        lambda complaint: (
            _("Complaint %(number)s recorded. Decide on acceptance by %(due)s.")
            % {"number": complaint.number, "due": complaint.acceptance_due_on}
        ),
    )
    return registered or render(request, "complaints/complaint_form.html", {"form": form})


# --- the complaint page --------------------------------------------------------------------


def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The complaint with its clock. The identity is masked until an allowed user asks to see
    it (``?identity=1``); each time it is shown unmasked, the view is logged."""
    complaint = get_complaint_for_user(request.user, pk)
    may_see = complaint.identity_visible_to(request.user)
    reveal = may_see and request.GET.get("identity") == "1"
    if reveal:
        services.identity_access_log(
            complaints=[complaint], user=request.user, via=IdentityAccess.Via.DETAIL
        )
    user = request.user
    editable = Complaint.objects.editable_by(user).filter(pk=complaint.pk).exists()
    status = complaint.status
    extensions = list(complaint.extensions.all())
    pending = next((e for e in extensions if e.status == DeadlineExtension.Status.PENDING), None)
    approved = next((e for e in extensions if e.status == DeadlineExtension.Status.APPROVED), None)
    actions = {
        "accept": editable and status == Complaint.Status.RECEIVED,
        "reject": editable and status in (Complaint.Status.RECEIVED, Complaint.Status.SUPPLEMENT),
        "supplement": editable and status == Complaint.Status.RECEIVED,
        "supplemented": editable and status == Complaint.Status.SUPPLEMENT,
        "close": editable and status == Complaint.Status.ACCEPTED,
        "answer": editable and status in Complaint.CLOSED_STATUSES and not complaint.answered_on,
        "extend": editable
        and Role.INSPECTOR in roles_of(user)
        and status == Complaint.Status.ACCEPTED
        and pending is None
        and approved is None,
        "decide_extension": pending is not None and is_supervisor(user),
        "assign": bool(roles_of(user) & {Role.SUPERVISOR, Role.ADMIN}) and complaint.is_open,
        "link": editable and complaint.employer_id is None,
        "edit": editable and complaint.is_open,
    }
    accesses = (
        list(IdentityAccess.objects.filter(complaint=complaint).select_related("user")[:50])
        if is_supervisor(user)
        else []
    )
    return render(
        request,
        "complaints/complaint_detail.html",
        {
            "complaint": complaint,
            "identity": complaint.identity(masked=not reveal),
            "description": complaint.description_for(masked=not reveal),
            "may_see_identity": may_see,
            "revealed": reveal,
            "clock": complaint.clock(timezone.localdate()),
            "actions": actions,
            "pending_extension": pending,
            "extensions": extensions,
            "accesses": accesses,
            "decision_form": ExtensionDecisionForm() if actions["decide_extension"] else None,
        },
    )


def complaint_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every change to the complaint, who and when. Identity fields are masked unless the
    user may see them; an unmasked view is logged like any other."""
    complaint = get_complaint_for_user(request.user, pk)
    may_see = complaint.identity_visible_to(request.user)
    entries = history_entries(complaint, masked=not may_see)
    if may_see and any(e.touches_identity for e in entries):
        services.identity_access_log(
            complaints=[complaint], user=request.user, via=IdentityAccess.Via.HISTORY
        )
    return render(
        request,
        "complaints/complaint_history.html",
        {"complaint": complaint, "entries": entries, "masked": not may_see},
    )


def complaint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the intake data of an open complaint. Someone who may see the identity edits it
    too (and that showing is logged); anybody else edits the other fields only."""
    complaint = get_complaint_for_edit(request.user, pk)
    if not complaint.is_open:
        raise PermissionDenied
    with_identity = complaint.identity_visible_to(request.user)
    form = ComplaintEditForm(request.POST or None, instance=complaint, with_identity=with_identity)
    saved = form_saved(
        request,
        form,
        lambda data: services.complaint_update(
            complaint=form.instance, items=data["items"], user=request.user
        ),
        _("Changes saved."),
    )
    if saved:
        return saved
    if with_identity and request.method != "POST" and not complaint.anonymous:
        services.identity_access_log(
            complaints=[complaint], user=request.user, via=IdentityAccess.Via.EDIT
        )
    return render(
        request,
        "complaints/complaint_step.html",
        {"complaint": complaint, "form": form, "title": _("Correct the complaint")},
    )
