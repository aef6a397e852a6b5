import hashlib

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from core.roles import Role, role_required, roles_of, sees_whole_district

from . import registry, services
from .credit_code import normalise_credit_code
from .exports import EmployerExport
from .filters import EmployerFilter
from .forms import EmployerForm
from .models import Employer, Unit
from .panels import panels_for
from .tables import EmployerTable

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


def _filtered_employers(request: HttpRequest) -> EmployerFilter:
    queryset = Employer.objects.visible_to(request.user).select_related("unit")
    filter_class = registry.filter_class()
    return filter_class(request.GET or None, queryset=queryset, user=request.user)


class DistrictCountPaginator(Paginator):
    """The unfiltered whole-district list counts every employer on each page view (45 ms at a
    million employers, docs/performance.md); that one total is shared for a minute. The rows
    shown are always current; only the total may lag an import by up to a minute."""

    @cached_property
    def count(self) -> int:
        return cache.get_or_set(
            "employers:district-count", lambda: Paginator.count.func(self), timeout=60
        )


class LargeCountPaginator(Paginator):
    """A filtered list (a unit, a level) counts exactly while the total is small; a total of
    LARGE_COUNT or more (the largest unit at a million employers: 100,000 rows to count on
    every page view) is shared for a minute, keyed by the counting statement itself, so by
    the filter and by what the user may see. The rows shown are always current."""

    LARGE_COUNT = 5000

    @cached_property
    def count(self) -> int:
        key = _count_key(self.object_list)
        if key is not None:
            cached = cache.get(key)
            if cached is not None:
                return cached
        total = Paginator.count.func(self)
        if key is not None and total >= self.LARGE_COUNT:
            cache.set(key, total, timeout=60)
        return total


def _count_key(object_list: object) -> str | None:
    query = getattr(object_list, "query", None)
    if query is None:
        return None
    try:
        sql, params = query.sql_with_params()
    except EmptyResultSet:
        return None
    digest = hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()[:32]
    return f"employers:count:{digest}"


def _is_unfiltered(request: HttpRequest) -> bool:
    return not any(request.GET.get(name) for name in registry.filter_names())


@role_required()
def employer_list(request: HttpRequest) -> HttpResponse:
    employer_filter = _filtered_employers(request)
    # the level (and whatever else the apps above add) joins the one query of the page
    table = EmployerTable(
        registry.prepare(employer_filter.qs), extra_columns=registry.extra_columns()
    )
    paginate: dict = {"per_page": PAGE_SIZE, "paginator_class": LargeCountPaginator}
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
