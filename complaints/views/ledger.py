"""The ledger: list, counts, export, and the employer search of the intake form."""

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from core.roles import Role, role_required, roles_of
from core.workdays import calendar_note
from employers.credit_code import normalise_credit_code
from employers.models import Employer

from .. import services
from ..exports import ComplaintLedgerExport
from ..models import IdentityAccess
from ..selectors import ledger_counts
from ..tables import ComplaintTable
from .common import PAGE_SIZE, filtered_complaints, may_record

# --- ledger --------------------------------------------------------------------------------


@role_required()
def complaint_list(request: HttpRequest) -> HttpResponse:
    complaint_filter = filtered_complaints(request)
    table = ComplaintTable(complaint_filter.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    estimated = complaint_filter.qs.open().filter(due_estimated=True).exists()
    return render(
        request,
        "complaints/complaint_list.html",
        {
            "filter": complaint_filter,
            "table": table,
            "may_record": may_record(request.user),
            # Only those who may see some identity are offered the unmasked export.
            "may_export_identity": bool(roles_of(request.user) & {Role.SUPERVISOR, Role.INSPECTOR}),
            "calendar_note": calendar_note() if estimated else "",
        },
    )


@role_required()
def complaint_summary(request: HttpRequest) -> HttpResponse:
    complaint_filter = filtered_complaints(request)
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
        filtered_complaints(request)
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
