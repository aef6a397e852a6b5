"""Evidence files: upload to a record the user may edit, download only where the user may see
the employer. Files live under MEDIA_ROOT and are never served by the web server directly."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from core.roles import role_required

from ..forms import EvidenceForm
from ..models import Case, EvidenceFile, Patrol, WrittenReview
from ..services import evidence_add


def _upload(
    request: HttpRequest, record: Patrol | Case | WrittenReview, owner: str
) -> HttpResponse:
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            evidence_add(
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                user=request.user,
                **{owner: record},
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, form.cleaned_data["file"].name)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(record.get_absolute_url() + "#evidence")


@require_POST
@role_required()
def patrol_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    patrol = get_object_or_404(Patrol.objects.editable_by(request.user), pk=pk)
    return _upload(request, patrol, "patrol")


@require_POST
@role_required()
def case_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.editable_by(request.user), pk=pk)
    return _upload(request, case, "case")


@require_POST
@role_required()
def review_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(WrittenReview.objects.editable_by(request.user), pk=pk)
    return _upload(request, review, "review")


@role_required()
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = get_object_or_404(EvidenceFile.objects.visible_to(request.user), pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=evidence.content_type,
        as_attachment=not evidence.is_image and evidence.content_type != "application/pdf",
        filename=evidence.original_name,
    )
    # The type was checked on upload; never let a browser guess another one.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    return response
