from pathlib import Path

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core import spreadsheets as sheets
from core.roles import Role, is_admin, require_role, role_required, roles_of, sees_whole_district

from . import services
from .credit_code import normalise_credit_code
from .exports import EmployerExport
from .filters import EmployerFilter
from .forms import EmployerForm, RosterUploadForm
from .models import Employer, ImportBatch, Unit
from .panels import panels_for
from .tables import EmployerTable, ImportBatchTable

PAGE_SIZE = 50


def _get_employer_for_user(user: AbstractBaseUser, credit_code: str) -> Employer:
    """The employer if this user may see it; 404 otherwise, so codes outside the user's units
    cannot even be probed."""
    code = normalise_credit_code(credit_code)
    return get_object_or_404(
        Employer.objects.visible_to(user).select_related("unit"), credit_code=code
    )


def _may_create(user: AbstractBaseUser) -> bool:
    """Admins register employers anywhere, inspectors in their own units; supervisors read."""
    roles = roles_of(user)
    if Role.ADMIN in roles:
        return True
    return Role.INSPECTOR in roles and Unit.objects.filter(inspectors=user).exists()


def _get_employer_to_edit(user: AbstractBaseUser, credit_code: str) -> Employer:
    """The employer if this user may change it: 404 when they cannot even see it, 403 when
    they see it read-only (supervisors)."""
    employer = _get_employer_for_user(user, credit_code)
    if not Employer.objects.editable_by(user).filter(pk=employer.pk).exists():
        raise PermissionDenied
    return employer


def _require_admin(user: AbstractBaseUser) -> None:
    require_role(user)
    if not is_admin(user):
        raise PermissionDenied


def _get_batch_for_admin(user: AbstractBaseUser, pk: int) -> ImportBatch:
    _require_admin(user)
    return get_object_or_404(ImportBatch.objects.select_related("user"), pk=pk)


def _filtered_employers(request: HttpRequest) -> EmployerFilter:
    queryset = Employer.objects.visible_to(request.user).select_related("unit")
    return EmployerFilter(request.GET or None, queryset=queryset, user=request.user)


class DistrictCountPaginator(Paginator):
    """The unfiltered whole-district list counts every employer on each page view (45 ms at a
    million employers, docs/performance.md); that one total is shared for a minute. The rows
    shown are always current; only the total may lag an import by up to a minute."""

    @cached_property
    def count(self) -> int:
        return cache.get_or_set(
            "employers:district-count", lambda: Paginator.count.func(self), timeout=60
        )


def _is_unfiltered(request: HttpRequest) -> bool:
    return not any(request.GET.get(name) for name in ("q", "unit", "kind", "status"))


@role_required()
def employer_list(request: HttpRequest) -> HttpResponse:
    employer_filter = _filtered_employers(request)
    table = EmployerTable(employer_filter.qs)
    paginate: dict = {"per_page": PAGE_SIZE}
    if sees_whole_district(request.user) and _is_unfiltered(request):
        paginate["paginator_class"] = DistrictCountPaginator
    RequestConfig(request, paginate=paginate).configure(table)
    return render(
        request,
        "employers/employer_list.html",
        {"filter": employer_filter, "table": table, "may_create": _may_create(request.user)},
    )


@role_required()
def employer_export(request: HttpRequest) -> HttpResponse:
    return EmployerExport().response(_filtered_employers(request).qs.order_by("unit__code", "name"))


@role_required()
def employer_detail(request: HttpRequest, credit_code: str) -> HttpResponse:
    employer = _get_employer_for_user(request.user, credit_code)
    may_edit = Employer.objects.editable_by(request.user).filter(pk=employer.pk).exists()
    return render(
        request,
        "employers/employer_detail.html",
        {
            "employer": employer,
            "may_edit": may_edit,
            "panels": panels_for(request, employer),
        },
    )


@role_required()
def employer_create(request: HttpRequest) -> HttpResponse:
    if not _may_create(request.user):
        raise PermissionDenied
    form = EmployerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v is not None}
        employer = services.employer_create(user=request.user, data=data)
        messages.success(request, _("%(name)s was added.") % {"name": employer.name})
        return redirect(employer)
    return render(request, "employers/employer_form.html", {"form": form, "employer": None})


@role_required()
def employer_edit(request: HttpRequest, credit_code: str) -> HttpResponse:
    employer = _get_employer_to_edit(request.user, credit_code)
    form = EmployerForm(request.POST or None, instance=employer, user=request.user)
    if request.method == "POST" and form.is_valid():
        changes = form.changed_values()
        if changes:
            # Reload: the form has already copied its values onto the instance.
            employer = Employer.objects.get(pk=employer.pk)
            services.employer_update(employer=employer, user=request.user, data=changes)
            messages.success(request, _("The changes were saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect(employer)
    return render(request, "employers/employer_form.html", {"form": form, "employer": employer})


@role_required()
def employer_deregister(request: HttpRequest, credit_code: str) -> HttpResponse:
    """GET asks for confirmation; POST marks the employer deregistered (never deleted)."""
    employer = _get_employer_to_edit(request.user, credit_code)
    if request.method == "POST":
        services.employer_deregister(employer=employer, user=request.user)
        messages.success(
            request, _("%(name)s is now marked deregistered.") % {"name": employer.name}
        )
        return redirect(employer)
    return render(request, "employers/employer_deregister.html", {"employer": employer})


# --- roster import (admins) -----------------------------------------------------------------


def import_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request.user)
    table = ImportBatchTable(ImportBatch.objects.select_related("user"))
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render(request, "employers/import_list.html", {"table": table})


def import_roster(request: HttpRequest) -> HttpResponse:
    """Upload a roster: the file is stored, read at once and previewed; nothing is imported
    until the admin confirms."""
    _require_admin(request.user)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = ImportBatch.objects.create(
            kind=ImportBatch.Kind.ROSTER,
            user=request.user,
            file_name=Path(upload.name).name[:255],
            upload=upload,
        )
        try:
            services.roster_preview(batch=batch)
        except sheets.SpreadsheetError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("employers:import_detail", pk=batch.pk)
    return render(request, "employers/import_upload.html", {"form": form})


def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview (before confirming) or the result (after) of one import."""
    batch = _get_batch_for_admin(request.user, pk)
    details = batch.details or {}
    return render(
        request,
        "employers/import_detail.html",
        {
            "batch": batch,
            "rejections": details.get("rejections", []),
            "duplicates": details.get("duplicates", 0),
            "header_row": details.get("header_row"),
            "may_confirm": batch.kind == ImportBatch.Kind.ROSTER
            and batch.status == ImportBatch.Status.PREVIEW,
        },
    )


@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _get_batch_for_admin(request.user, pk)
    if batch.kind != ImportBatch.Kind.ROSTER:
        raise Http404
    try:
        services.roster_commit(batch=batch, user=request.user)
    except services.ImportFailed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The roster was imported."))
    return redirect("employers:import_detail", pk=batch.pk)


def import_report(request: HttpRequest, pk: int) -> FileResponse:
    """The rejected rows of an import as .xlsx; admins only, never served as a static file."""
    batch = _get_batch_for_admin(request.user, pk)
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
