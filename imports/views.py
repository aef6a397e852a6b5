"""The import pages, for every importer in the registry: upload (stores the file and queues
its validation), the progress / preview / result page, its progress (polled by htmx, or JSON),
confirm (POST, once; queues the write), cancel, try again, and the rejected rows as .xlsx.
A GET writes nothing but the failure of a job whose worker stopped beating. Admins only (each
importer says who may use it)."""

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core.roles import require_role

from . import jobs, services
from .base import Importer, ImportFailed
from .forms import UploadForm
from .models import ImportBatch
from .presentation import progress_of
from .registry import importer_for
from .tables import ImportBatchTable

PAGE_SIZE = 50


def _allowed(request: HttpRequest, importer: Importer) -> None:
    """No role: 404 (as every page); a role but not this importer's: 403."""
    require_role(request.user)
    if not importer.may_use(request.user):
        raise PermissionDenied(importer.refusal())


def _batch(request: HttpRequest, pk: int, key: str | None) -> tuple[ImportBatch, Importer]:
    require_role(request.user)
    queryset = ImportBatch.objects.select_related("user")
    if key is not None:
        queryset = queryset.filter(kind=key)
    batch = get_object_or_404(queryset, pk=pk)
    importer = importer_for(batch.kind)
    _allowed(request, importer)
    return batch, importer


def import_list(request: HttpRequest) -> HttpResponse:
    _allowed(request, importer_for("roster"))
    table = ImportBatchTable(ImportBatch.objects.select_related("user"))
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render(request, "imports/list.html", {"table": table})


def upload(request: HttpRequest, key: str) -> HttpResponse:
    """Upload a file: it is stored, read at once and previewed; nothing is imported until the
    admin confirms."""
    importer = importer_for(key)
    _allowed(request, importer)
    form = UploadForm(request.POST or None, request.FILES or None, importer=importer)
    if request.method == "POST" and form.is_valid():
        batch = services.batch_upload(
            importer=importer, upload=form.cleaned_data["file"], user=request.user
        )
        if batch.state == ImportBatch.State.FAILED and not batch.details:
            # Read at once (no broker: CELERY_TASK_ALWAYS_EAGER) and found unusable: say so
            # on the form, as a file refused before it was stored.
            form.add_error("file", batch.message)
        else:
            return redirect(importer.urls["detail"], pk=batch.pk)
    recent = ImportBatch.objects.filter(kind=key).select_related("user")[:10]
    return render(
        request,
        "imports/upload.html",
        {"form": form, "importer": importer, "urls": importer.urls, "recent": recent},
    )


def detail(
    request: HttpRequest, pk: int, key: str | None = None, confirm_on_post: bool = False
) -> HttpResponse:
    """The preview (before confirming) or the result (after) of one import. Where the page
    is also the confirm address (the case ledger's), a POST confirms."""
    batch, importer = _batch(request, pk, key)
    if request.method == "POST":
        if not confirm_on_post:
            return HttpResponse(status=405)
        return _confirm(request, batch, importer)
    if jobs.fail_stale([batch.pk]):
        batch.refresh_from_db()
    details = batch.details or {}
    State = ImportBatch.State
    offered = details.get("offered") or {}
    rows_read = details.get("rows_read")
    context: dict[str, Any] = {
        "batch": batch,
        "importer": importer,
        "urls": importer.urls,
        "progress": progress_of(batch),
        "no_data_rows": batch.state in (State.PREVIEWED, State.DONE) and rows_read == 0,
        "missing_columns": details.get("missing_columns", []),
        "offered_unit": offered.get("unit", ""),
        "filled": details.get("filled") or {},
        "rejections": details.get("rejections", []),
        "duplicates": details.get("duplicates", 0),
        "header_row": details.get("header_row"),
        "created_keys": details.get("created_keys", []),
        "updated_keys": details.get("updated_keys", []),
        "may_confirm": batch.state == State.PREVIEWED and bool(batch.created or batch.updated),
        "may_cancel": batch.state in jobs.CANCELLABLE,
        "may_retry": batch.state == State.FAILED and bool(batch.upload),
    }
    return render(request, "imports/detail.html", context)


def _confirm(request: HttpRequest, batch: ImportBatch, importer: Importer) -> HttpResponse:
    try:
        services.batch_confirm(
            batch=batch, user=request.user, fill_from_name=bool(request.POST.get("fill_from_name"))
        )
    except ImportFailed as exc:
        messages.error(request, str(exc))
    else:
        if batch.state == ImportBatch.State.DONE:  # written at once (no broker)
            messages.success(request, _("Imported: %(summary)s") % {"summary": batch.summary})
        elif batch.state == ImportBatch.State.FAILED:
            messages.error(request, batch.message)
    return redirect(importer.urls["detail"], pk=batch.pk)


def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Where a running import stands: JSON (``?format=json`` or Accept: application/json) or
    the progress box the page swaps in every second. When the step is over the box asks
    htmx to reload the page, which then shows the preview or the result."""
    batch, importer = _batch(request, pk, None)
    if jobs.fail_stale([batch.pk]):
        batch.refresh_from_db()
    data = progress_of(batch)
    wants_json = request.GET.get("format") == "json" or "application/json" in request.headers.get(
        "Accept", ""
    )
    if wants_json:
        return JsonResponse(data)
    response = render(
        request,
        "imports/_progress.html",
        {"batch": batch, "progress": data, "urls": importer.urls},
    )
    if not batch.working:
        response["HX-Refresh"] = "true"
    return response


@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    batch, importer = _batch(request, pk, None)
    if jobs.cancel(batch.pk):
        messages.info(request, _("The import was cancelled; nothing was written."))
    else:
        messages.error(request, _("This import can no longer be cancelled."))
    return redirect(importer.urls["detail"], pk=batch.pk)


@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Read a failed import's file again; then preview and confirm it as a new upload."""
    batch, importer = _batch(request, pk, None)
    if not jobs.retry(batch.pk):
        messages.error(request, _("Only a failed import can be tried again."))
    return redirect(importer.urls["detail"], pk=batch.pk)


@require_POST
def confirm(request: HttpRequest, pk: int, key: str | None = None) -> HttpResponse:
    batch, importer = _batch(request, pk, key)
    return _confirm(request, batch, importer)


def report(request: HttpRequest, pk: int, key: str | None = None) -> FileResponse:
    """The rejected rows of an import as .xlsx; never served as a static file."""
    batch, _importer = _batch(request, pk, key)
    if not batch.report:
        raise Http404
    try:
        handle = batch.report.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    suffix = _("rejected rows")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{Path(batch.file_name).stem}-{suffix}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
