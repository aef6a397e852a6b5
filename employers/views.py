from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from .credit_code import normalise_credit_code
from .exports import xlsx_response
from .filters import EmployerFilter
from .models import Employer
from .panels import panels_for
from .roles import roles_of
from .tables import EmployerTable

PAGE_SIZE = 50


def _require_role(user: AbstractBaseUser) -> None:
    # Logged-in accounts without any role see nothing at all.
    if not roles_of(user):
        raise Http404


def _get_employer_for_user(user: AbstractBaseUser, credit_code: str) -> Employer:
    """The employer if this user may see it; 404 otherwise, so codes outside the user's units
    cannot even be probed."""
    code = normalise_credit_code(credit_code)
    return get_object_or_404(
        Employer.objects.visible_to(user).select_related("unit"), credit_code=code
    )


def _filtered_employers(request: HttpRequest) -> EmployerFilter:
    queryset = Employer.objects.visible_to(request.user).select_related("unit")
    return EmployerFilter(request.GET or None, queryset=queryset, user=request.user)


def employer_list(request: HttpRequest) -> HttpResponse:
    _require_role(request.user)
    employer_filter = _filtered_employers(request)
    table = EmployerTable(employer_filter.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render(
        request,
        "employers/employer_list.html",
        {"filter": employer_filter, "table": table},
    )


def employer_export(request: HttpRequest) -> HttpResponse:
    _require_role(request.user)
    employers = _filtered_employers(request).qs.order_by("unit__code", "name")
    header = [
        _("Unified social credit code"),
        _("Name"),
        _("Kind"),
        _("Area unit"),
        _("Address"),
        _("Legal representative"),
        _("Contact person"),
        _("Contact phone"),
        _("Headcount"),
        _("Industry"),
        _("Established on"),
        _("Status"),
        _("Last verified on"),
    ]
    kinds = dict(Employer.Kind.choices)
    statuses = dict(Employer.Status.choices)
    rows = (
        (
            e.credit_code,
            e.name,
            str(kinds.get(e.kind, e.kind)),
            e.unit.name,
            e.address,
            e.legal_representative,
            e.contact_person,
            e.contact_phone,
            e.headcount,
            e.industry,
            e.established_on,
            str(statuses.get(e.status, e.status)),
            e.verified_on,
        )
        for e in employers.iterator(chunk_size=2000)
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(
        filename=f"employers-{stamp}.xlsx", header=header, rows=rows, sheet_title=_("Employers")
    )


def employer_detail(request: HttpRequest, credit_code: str) -> HttpResponse:
    _require_role(request.user)
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
