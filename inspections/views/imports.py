"""Case ledger upload for admins: upload, preview (what would happen, every rejected row with
its reason), commit in one transaction, download the rejected rows to fix and re-upload."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core import spreadsheets as sheets
from core.roles import is_admin
from employers.models import ImportBatch

from ..case_ledger import case_ledger_import
from ..forms import CaseImportForm
from .common import require_role

PREVIEW_ROWS = 200


def _require_admin(request: HttpRequest) -> None:
    require_role(request.user)
    if not is_admin(request.user):
        raise PermissionDenied(_("Only administrators import case ledgers."))


def case_import(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = CaseImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            sheets.check_upload(upload, name=upload.name)
        except sheets.SpreadsheetError as exc:
            form.add_error("file", str(exc))
        else:
            batch = ImportBatch(
                kind=ImportBatch.Kind.CASES, user=request.user, file_name=upload.name[:255]
            )
            upload.seek(0)
            batch.upload.save(upload.name, upload, save=False)
            batch.save()
            return redirect("inspections:case_import_preview", pk=batch.pk)
    recent = ImportBatch.objects.filter(kind=ImportBatch.Kind.CASES).select_related("user")[:10]
    return render(request, "inspections/case_import.html", {"form": form, "recent": recent})


def case_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: validate the stored file and show what importing it would do. POST: import it."""
    _require_admin(request)
    batch = get_object_or_404(ImportBatch, pk=pk, kind=ImportBatch.Kind.CASES)
    if batch.status != ImportBatch.Status.PREVIEW:
        return render(request, "inspections/case_import_done.html", {"batch": batch})
    commit = request.method == "POST"
    with batch.upload.open("rb") as handle:
        result = case_ledger_import(
            handle, name=batch.file_name, user=request.user, batch=batch, dry_run=not commit
        )
    if result.report:
        batch.report.save(f"rejected-{batch.pk}.xlsx", ContentFile(result.report), save=True)
    if commit and not result.file_error:
        messages.success(
            request,
            _("Case ledger imported: %(summary)s") % {"summary": result.summary},
        )
        return redirect("inspections:case_import_preview", pk=batch.pk)
    return render(
        request,
        "inspections/case_import_preview.html",
        {
            "batch": batch,
            "result": result,
            "rejections": result.rejections[:PREVIEW_ROWS],
            "more": max(0, len(result.rejections) - PREVIEW_ROWS),
            "created": result.created[:PREVIEW_ROWS],
            "updated": result.updated[:PREVIEW_ROWS],
        },
    )


def case_import_report(request: HttpRequest, pk: int) -> FileResponse:
    _require_admin(request)
    batch = get_object_or_404(ImportBatch, pk=pk, kind=ImportBatch.Kind.CASES)
    if not batch.report:
        raise Http404
    stem = batch.file_name.rsplit(".", 1)[0]
    return FileResponse(
        batch.report.open("rb"),
        as_attachment=True,
        filename=f"{stem}-错误行.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
