"""Pages of the procedure: notices (due, overdue, served; the letter; recording service),
objections (recording, deciding, the decision letter)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.documents import pdf_response
from core.downloads import stored_file_response
from core.pages import form_saved
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


def _detail_url(kind: str):
    """The page of the notice or objection a service returned."""
    return lambda record: reverse(f"ratings:{kind}_detail", kwargs={"pk": record.pk})


def _file(field: FieldFile, content_type: str, name: str) -> FileResponse:
    return stored_file_response(
        field, content_type=content_type, filename=name, csp="default-src 'none'; img-src 'self'"
    )


# --- notices ----------------------------------------------------------------------------


def _list_page(request: HttpRequest, filter_class: type, records, template: str) -> HttpResponse:
    record_filter = filter_class(request.GET or None, queryset=records, user=request.user)
    page = Paginator(record_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filter": record_filter, "page": page, "today": timezone.localdate()}
    return render(request, template, context)


@role_required()
def notice_list(request: HttpRequest) -> HttpResponse:
    """Notices due, overdue and served, of the user's units (supervisors: all)."""
    notices = notices_visible(request.user).order_by("served_on", "due_on", "id")
    return _list_page(request, NoticeFilter, notices, "ratings/procedure/notice_list.html")


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
    return pdf_response(notice_letter_pdf(notice), name)


@role_required()
def notice_serve(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(
        Notice.objects.editable_by(request.user).select_related("employer"), pk=pk
    )
    form = ServiceForm(request.POST or None, request.FILES or None)
    served = form_saved(
        request,
        form,
        lambda data: services.notice_record_service(notice=notice, user=request.user, **data),
        _("The service of the notice is recorded."),
        then=_detail_url("notice"),
    )
    context = {"notice": notice, "form": form}
    return served or render(request, "ratings/procedure/notice_serve.html", context)


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
    return pdf_response(content, f"notice-{employer.credit_code}.pdf")


# --- objections -------------------------------------------------------------------------


@role_required()
def objection_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an objection the employer made against a notice's rating."""
    notice = _notice(request, pk)
    form = ObjectionForm(request.POST or None, request.FILES or None, notice=notice)
    recorded = form_saved(
        request,
        form,
        lambda data: services.objection_record(notice=notice, user=request.user, **data),
        _("The objection is recorded and assigned."),
        then=_detail_url("objection"),
    )
    return recorded or render(
        request,
        "ratings/procedure/objection_form.html",
        {"notice": notice, "form": form, "recused": services.reviewer_recused_ids(notice)},
    )


@role_required()
def objection_list(request: HttpRequest) -> HttpResponse:
    objections = objections_visible(request.user).order_by("decided_on", "decision_due_on", "id")
    return _list_page(request, ObjectionFilter, objections, "ratings/procedure/objection_list.html")


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
    return _objection_page(request, objection, form)


def _objection_page(
    request: HttpRequest, objection: Objection, form: DecisionForm | None
) -> HttpResponse:
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
    decided = form_saved(
        request,
        form,
        lambda data: services.objection_decide(objection=objection, user=request.user, **data),
        _("The decision is recorded."),
        then=_detail_url("objection"),
    )
    return decided or _objection_page(request, objection, form)


@role_required()
def objection_letter(request: HttpRequest, pk: int) -> HttpResponse:
    objection = _objection(request, pk)
    if objection.is_open:
        raise Http404
    return pdf_response(objection_decision_pdf(objection), f"objection-decision-{objection.pk}.pdf")


@role_required()
def objection_attachment(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(
        ObjectionAttachment.objects.filter(
            objection__in=Objection.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    return _file(attachment.file, attachment.content_type, attachment.original_name)
