from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from core.roles import Role, is_supervisor, role_required, roles_of
from core.workdays import calendar_note
from employers.credit_code import normalise_credit_code
from employers.models import Employer

from . import services
from .exports import ComplaintLedgerExport
from .filters import ComplaintFilter
from .forms import (
    AcceptForm,
    AnswerForm,
    AssignForm,
    CloseForm,
    ComplaintEditForm,
    ComplaintIntakeForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    LinkEmployerForm,
    RejectForm,
    SupplementedForm,
    SupplementForm,
)
from .history import history_entries
from .models import Complaint, ComplaintItem, DeadlineExtension, IdentityAccess
from .selectors import complaints_for_list, ledger_counts
from .tables import ComplaintTable

PAGE_SIZE = 50


def _may_record(user: AbstractBaseUser) -> bool:
    return bool(roles_of(user) & {Role.INSPECTOR, Role.ADMIN})


def _get_complaint_for_user(user: AbstractBaseUser, pk: int) -> Complaint:
    """The complaint if this user may see it; 404 otherwise (others' complaints cannot even be
    probed)."""
    return get_object_or_404(
        Complaint.objects.visible_to(user)
        .select_related("employer", "unit", "case", "created_by")
        .prefetch_related(
            "inspectors",
            Prefetch("items", queryset=ComplaintItem.objects.order_by("id")),
            Prefetch(
                "extensions",
                queryset=DeadlineExtension.objects.select_related("requested_by", "decided_by"),
            ),
        ),
        pk=pk,
    )


def _get_complaint_for_edit(user: AbstractBaseUser, pk: int) -> Complaint:
    complaint = _get_complaint_for_user(user, pk)
    if not Complaint.objects.editable_by(user).filter(pk=complaint.pk).exists():
        raise PermissionDenied
    return complaint


def _filtered(request: HttpRequest) -> ComplaintFilter:
    return ComplaintFilter(
        request.GET or None, queryset=complaints_for_list(request.user), user=request.user
    )


# --- ledger --------------------------------------------------------------------------------


@role_required()
def complaint_list(request: HttpRequest) -> HttpResponse:
    complaint_filter = _filtered(request)
    table = ComplaintTable(complaint_filter.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    estimated = complaint_filter.qs.open().filter(due_estimated=True).exists()
    return render(
        request,
        "complaints/complaint_list.html",
        {
            "filter": complaint_filter,
            "table": table,
            "may_record": _may_record(request.user),
            # Only those who may see some identity are offered the unmasked export.
            "may_export_identity": bool(roles_of(request.user) & {Role.SUPERVISOR, Role.INSPECTOR}),
            "calendar_note": calendar_note() if estimated else "",
        },
    )


@role_required()
def complaint_summary(request: HttpRequest) -> HttpResponse:
    complaint_filter = _filtered(request)
    today = timezone.localdate()
    counts = ledger_counts(complaint_filter.qs)
    counts["overdue"] = complaint_filter.qs.overdue(today).count()
    return render(
        request,
        "complaints/complaint_summary.html",
        {"filter": complaint_filter, "counts": counts},
    )


@role_required()
def complaint_export(request: HttpRequest) -> HttpResponse:
    """The ledger as .xlsx, identities masked; with ``identity=1`` (the list's explicit
    choice) unmasked on the rows the user may see them for, each one logged as a reveal."""
    queryset = (
        _filtered(request)
        .qs.prefetch_related("inspectors", "extensions")
        .order_by("received_on", "id")
    )
    export = ComplaintLedgerExport(
        request.user, include_identity=request.GET.get("identity") == "1"
    )
    response = export.response(queryset)
    # The response has written every row by now, so ``revealed`` is complete.
    services.identity_access_log(
        complaints=export.revealed, user=request.user, via=IdentityAccess.Via.EXPORT
    )
    return response


@require_GET
@role_required()
def employer_search(request: HttpRequest) -> HttpResponse:
    """<option>s for the employer field's datalist (htmx), within the user's scope."""
    text = (request.GET.get("employer_query") or "").strip()
    employers: QuerySet | list = []
    if len(text) >= 2:
        code = normalise_credit_code(text)
        scope = Employer.objects.editable_by(request.user)
        employers = (
            scope.filter(credit_code__startswith=code)
            if code.isalnum() and len(code) >= 6 and code.isascii()
            else scope.filter(name__icontains=text)
        ).only("name", "credit_code")[:15]
    return render(request, "complaints/_employer_options.html", {"employers": employers})


# --- intake --------------------------------------------------------------------------------


@role_required(Role.INSPECTOR, Role.ADMIN)
def complaint_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.GET.get("employer"):
        initial["employer_query"] = request.GET["employer"]
    form = ComplaintIntakeForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_register(
                complaint=form.instance,
                items=form.cleaned_data["items"],
                inspectors=form.cleaned_data["inspectors"],
                user=request.user,
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("Complaint %(number)s recorded. Decide on acceptance by %(due)s.")
                % {"number": complaint.number, "due": complaint.acceptance_due_on},
            )
            return redirect(complaint)
    return render(request, "complaints/complaint_form.html", {"form": form})


def _errors_to_form(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- the complaint page --------------------------------------------------------------------


def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The complaint with its clock. The identity is masked until an allowed user asks to see
    it (``?identity=1``); each time it is shown unmasked, the view is logged."""
    complaint = _get_complaint_for_user(request.user, pk)
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
    complaint = _get_complaint_for_user(request.user, pk)
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
    complaint = _get_complaint_for_edit(request.user, pk)
    if not complaint.is_open:
        raise PermissionDenied
    with_identity = complaint.identity_visible_to(request.user)
    form = ComplaintEditForm(request.POST or None, instance=complaint, with_identity=with_identity)
    if request.method == "POST" and form.is_valid():
        try:
            services.complaint_update(
                complaint=form.instance, items=form.cleaned_data["items"], user=request.user
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(complaint)
    elif with_identity and request.method != "POST" and not complaint.anonymous:
        services.identity_access_log(
            complaints=[complaint], user=request.user, via=IdentityAccess.Via.EDIT
        )
    return render(
        request,
        "complaints/complaint_step.html",
        {"complaint": complaint, "form": form, "title": _("Correct the complaint")},
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
            _errors_to_form(form, error)
        else:
            messages.success(request, success)
            return redirect(complaint)
    return render(
        request,
        "complaints/complaint_step.html",
        {"complaint": complaint, "form": form, "title": title, "confirm": confirm},
    )


def complaint_accept(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _get_complaint_for_edit(request.user, pk)
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
    complaint = _get_complaint_for_edit(request.user, pk)
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
    complaint = _get_complaint_for_edit(request.user, pk)
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
    complaint = _get_complaint_for_edit(request.user, pk)
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
    complaint = _get_complaint_for_edit(request.user, pk)
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
    complaint = _get_complaint_for_edit(request.user, pk)
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
    complaint = _get_complaint_for_edit(request.user, pk)
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
    complaint = _get_complaint_for_user(request.user, pk)
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
    complaint = _get_complaint_for_edit(request.user, pk)
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
    complaint = _get_complaint_for_user(request.user, pk)
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
