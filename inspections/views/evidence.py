"""Evidence files: upload to a record the user may edit, download only where the user may see
the employer. Files live under MEDIA_ROOT and are never served by the web server directly."""

from django.db.models import Model
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from core.downloads import stored_file_response
from core.pages import action_done
from core.roles import role_required

from ..forms import EvidenceForm
from ..models import Case, EvidenceFile, Patrol, WrittenReview
from ..services import evidence_add


def _upload_view(model: type[Model], owner: str):
    """The upload of an evidence file to a record of ``model`` the user may edit (404
    otherwise), back to the record's evidence."""

    @require_POST
    @role_required()
    def upload(request: HttpRequest, pk: int) -> HttpResponse:
        record = get_object_or_404(model.objects.editable_by(request.user), pk=pk)
        form = EvidenceForm(request.POST, request.FILES)
        action_done(
            request,
            form,
            lambda data: evidence_add(
                upload=data["file"],
                description=data["description"],
                user=request.user,
                **{owner: record},
            ),
            lambda _evidence: form.cleaned_data["file"].name,
        )
        return redirect(record.get_absolute_url() + "#evidence")

    return upload


patrol_evidence = _upload_view(Patrol, "patrol")
case_evidence = _upload_view(Case, "case")
review_evidence = _upload_view(WrittenReview, "review")


@role_required()
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = get_object_or_404(EvidenceFile.objects.visible_to(request.user), pk=pk)
    response = stored_file_response(
        evidence.file,
        content_type=evidence.content_type,
        filename=evidence.original_name,
        csp="default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
        as_attachment=not evidence.is_image and evidence.content_type != "application/pdf",
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response
