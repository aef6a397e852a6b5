"""Pages of the procedure: notices (due, overdue, served; the letter; recording service),
objections (recording, deciding, the decision letter)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.roles import Role, role_required
from employers.models import Employer

from ..models import Rating
from . import services
from .filters import NoticeFilter, ObjectionFilter
from .forms import DecisionForm, ObjectionForm, ServiceForm
from .letters import notice_letter_pdf, objection_decision_pdf, rating_letter_pdf
from .models import Notice, Objection, ObjectionAttachment
from .selectors import notice_current, notices_visible, objections_visible

PAGE_SIZE = 30


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _file(field, content_type: str, name: str) -> FileResponse:
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type, filename=name)
    # The type was checked on upload; never let a browser guess another one.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'"
    return response


def _form_errors(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


# --- notices ----------------------------------------------------------------------------


@role_required()
def notice_list(request: HttpRequest) -> HttpResponse:
    """Notices due, overdue and served, of the user's units (supervisors: all)."""
    notices = notices_visible(request.user).order_by("served_on", "due_on", "id")
    notice_filter = NoticeFilter(request.GET or None, queryset=notices, user=request.user)
    page = Paginator(notice_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "ratings/procedure/notice_list.html",
        {"filter": notice_filter, "page": page, "today": timezone.localdate()},
    )


def _notice(request: HttpRequest, pk: int) -> Notice:
    return get_object_or_404(notices_visible(request.user), pk=pk)


@role_required()
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    may_serve = Notice.objects.editable_by(request.user).filter(pk=pk).exists()
    return render(
        request,
        "ratings/procedure/notice_detail.html",
        {
            "notice": notice,
            "today": timezone.localdate(),
            "may_serve": may_serve,
            "objections": notice.objections.select_related("reviewer"),
        },
    )


@role_required()
def notice_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the letter (a draft without number until issued). POST: issue the number (unit
    inspectors and admins) and download it."""
    notice = _notice(request, pk)
    if request.method == "POST":
        if not Notice.objects.editable_by(request.user).filter(pk=pk).exists():
            raise PermissionDenied
        services.notice_number_issue(notice)
    name = f"notice-{notice.employer.credit_code}-{notice.pk}.pdf"
    return _pdf(notice_letter_pdf(notice), name)


@role_required()
def notice_serve(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(
        Notice.objects.editable_by(request.user).select_related("employer"), pk=pk
    )
    form = ServiceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_record_service(
                notice=notice,
                method=form.cleaned_data["method"],
                served_on=form.cleaned_data["served_on"],
                receipt=form.cleaned_data["receipt"],
                note=form.cleaned_data["note"],
                user=request.user,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The service of the notice is recorded."))
            return redirect("ratings:notice_detail", pk=notice.pk)
    return render(request, "ratings/procedure/notice_serve.html", {"notice": notice, "form": form})


@role_required()
def notice_receipt(request: HttpRequest, pk: int) -> FileResponse:
    notice = _notice(request, pk)
    if not notice.receipt:
        raise Http404
    return _file(notice.receipt, notice.receipt_content_type, notice.receipt_name)


@role_required()
def employer_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter of the employer's current rating: its notice's, else an unnumbered draft."""
    employer = get_object_or_404(Employer.objects.visible_to(request.user), pk=pk)
    rating = Rating.objects.filter(employer=employer).select_related("employer").first()
    if rating is None:
        raise Http404
    notice = notice_current(employer, rating)
    content = notice_letter_pdf(notice) if notice else rating_letter_pdf(rating)
    return _pdf(content, f"notice-{employer.credit_code}.pdf")


# --- objections -------------------------------------------------------------------------


@role_required()
def objection_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an objection the employer made against a notice's rating."""
    notice = _notice(request, pk)
    form = ObjectionForm(request.POST or None, request.FILES or None, notice=notice)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            objection = services.objection_record(
                notice=notice,
                received_on=data["received_on"],
                channel=data["channel"],
                ground=data["ground"],
                text=data["text"],
                reviewer=data["reviewer"],
                attachments=data["attachments"],
                user=request.user,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The objection is recorded and assigned."))
            return redirect("ratings:objection_detail", pk=objection.pk)
    return render(
        request,
        "ratings/procedure/objection_form.html",
        {"notice": notice, "form": form, "recused": services.reviewer_recused_ids(notice)},
    )


@role_required()
def objection_list(request: HttpRequest) -> HttpResponse:
    objections = objections_visible(request.user).order_by("decided_on", "decision_due_on", "id")
    objection_filter = ObjectionFilter(request.GET or None, queryset=objections, user=request.user)
    page = Paginator(objection_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "ratings/procedure/objection_list.html",
        {"filter": objection_filter, "page": page, "today": timezone.localdate()},
    )


def _objection(request: HttpRequest, pk: int) -> Objection:
    return get_object_or_404(objections_visible(request.user), pk=pk)


@role_required()
def objection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    objection = _objection(request, pk)
    may_decide = objection.is_open and objection.reviewer_id == request.user.pk
    form = (
        DecisionForm(initial={"decided_on": timezone.localdate()}, objection=objection)
        if may_decide
        else None
    )
    return render(
        request,
        "ratings/procedure/objection_detail.html",
        {
            "objection": objection,
            "form": form,
            "case_ids": objection.notice.case_ids,
            "today": timezone.localdate(),
        },
    )


@require_POST
@role_required(Role.SUPERVISOR, Role.ADMIN)
def objection_decide(request: HttpRequest, pk: int) -> HttpResponse:
    objection = _objection(request, pk)
    form = DecisionForm(request.POST, objection=objection)
    if form.is_valid():
        try:
            services.objection_decide(
                objection=objection,
                outcome=form.cleaned_data["outcome"],
                reasons=form.cleaned_data["reasons"],
                decided_on=form.cleaned_data["decided_on"],
                user=request.user,
                withdraw_cases=form.cleaned_data["withdraw_cases"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("ratings:objection_detail", pk=objection.pk)
    return render(
        request,
        "ratings/procedure/objection_detail.html",
        {
            "objection": objection,
            "form": form,
            "case_ids": objection.notice.case_ids,
            "today": timezone.localdate(),
        },
    )


@role_required()
def objection_letter(request: HttpRequest, pk: int) -> HttpResponse:
    objection = _objection(request, pk)
    if objection.is_open:
        raise Http404
    return _pdf(objection_decision_pdf(objection), f"objection-decision-{objection.pk}.pdf")


@role_required()
def objection_attachment(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(
        ObjectionAttachment.objects.filter(
            objection__in=Objection.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    return _file(attachment.file, attachment.content_type, attachment.original_name)
