"""Permission-scoped fetch helpers shared by the views."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from core.roles import Role, require_role, roles_of
from employers.credit_code import normalise_credit_code
from employers.models import Employer

PAGE_SIZE = 50


def require_editor(user: AbstractBaseUser) -> None:
    """Inspectors and admins record evidence; supervisors read the district but do not write
    patrols, reviews or cases (their own actions have their own pages): 403, not a form that
    could never be saved."""
    require_role(user)
    if not roles_of(user) & {Role.INSPECTOR, Role.ADMIN}:
        raise PermissionDenied(_("Supervisors read inspection records but do not record them."))


def employer_for_edit(user: AbstractBaseUser, credit_code: str) -> Employer:
    """The employer if the user may record evidence on it; 404 otherwise (codes outside the
    user's units cannot be probed)."""
    return get_object_or_404(
        Employer.objects.editable_by(user).select_related("unit"),
        credit_code=normalise_credit_code(credit_code),
    )


def may_edit_employer(user: AbstractBaseUser, employer: Employer) -> bool:
    return Employer.objects.editable_by(user).filter(pk=employer.pk).exists()


def employer_search(request: HttpRequest) -> dict:
    """Context for picking the employer a new record is about: a name or code search among
    the employers the user may edit."""
    text = request.GET.get("q", "").strip()
    results = None
    if text:
        code = normalise_credit_code(text)
        employers = Employer.objects.editable_by(request.user).select_related("unit")
        if len(code) == 18:
            employers = employers.filter(credit_code=code)
        else:
            employers = employers.filter(name__icontains=text)
        results = Paginator(employers.order_by("name"), 20).get_page(1)
    return {"q": text, "results": results}


def employer_picked(request: HttpRequest, *, title: str, target: str) -> Employer | HttpResponse:
    """The employer a new record is about (``?employer=<credit code>``), or the page to pick
    one when none is given. Supervisors get 403, employers outside the user's units 404."""
    require_editor(request.user)
    code = request.GET.get("employer", "")
    if not code:
        return render(
            request,
            "inspections/employer_pick.html",
            {**employer_search(request), "title": title, "target": target},
        )
    return employer_for_edit(request.user, code)


def list_page(
    request: HttpRequest, record_filter, table_class: type, template: str
) -> HttpResponse:
    """A filtered, paginated list of records with the button to record a new one."""
    table = table_class(record_filter.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render(
        request,
        template,
        {
            "filter": record_filter,
            "table": table,
            "may_create": Employer.objects.editable_by(request.user).exists(),
        },
    )
