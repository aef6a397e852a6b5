"""Permission-scoped fetch helpers and the page shapes shared by the views."""

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from core.pages import form_saved
from core.roles import Role, require_role, role_required, roles_of
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


def record_for_user(
    model: type[Model],
    user: AbstractBaseUser,
    pk: int,
    *,
    edit: bool = False,
    related: tuple[str, ...] = ("employer__unit", "created_by"),
) -> Model:
    """The record if the user may see it (``edit``: change it, and supervisors get 403 first);
    404 otherwise."""
    if edit:
        require_editor(user)
    records = model.objects.editable_by(user) if edit else model.objects.visible_to(user)
    return get_object_or_404(records.select_related(*related), pk=pk)


def filtered(request: HttpRequest, filter_class: type, *, prefetch: tuple[str, ...] = ()):
    """A list's filters over the records the user may see, with their employer and unit."""
    queryset = (
        filter_class._meta.model.objects.visible_to(request.user)
        .select_related("employer__unit")
        .prefetch_related(*prefetch)
    )
    return filter_class(request.GET or None, queryset=queryset, user=request.user)


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


def new_record_page(
    request: HttpRequest, title: str, target: str, form_page: Callable[[Employer], HttpResponse]
) -> HttpResponse:
    """The form for a new record about the employer given (``?employer=<credit code>``), or the
    page to pick one when none is given. Supervisors get 403, employers outside the user's
    units 404."""
    require_editor(request.user)
    code = request.GET.get("employer", "")
    if not code:
        return render(
            request,
            "inspections/employer_pick.html",
            {**employer_search(request), "title": title, "target": target},
        )
    return form_page(employer_for_edit(request.user, code))


def form_views(
    model: type[Model],
    title: str,
    target: str,
    form_page: Callable[[HttpRequest, Employer, Model], HttpResponse],
) -> tuple[Callable, Callable]:
    """The two views of a record's form, ``form_page(request, employer, record)``: for a new
    record (about the employer picked, see ``new_record_page``) and to edit one."""

    def create(request: HttpRequest) -> HttpResponse:
        return new_record_page(
            request,
            title,
            target,
            lambda employer: form_page(request, employer, model(employer=employer)),
        )

    @role_required()
    def edit(request: HttpRequest, pk: int) -> HttpResponse:
        record = record_for_user(model, request.user, pk, edit=True)
        return form_page(request, record.employer, record)

    return create, edit


def form_saved_or_case_opened(
    request: HttpRequest, form, save: Callable, saved: str, opened: str
) -> HttpResponse | None:
    """``form_saved`` for a service that returns the record and the case it opened, or None:
    with a case, the message names it (``opened`` has a %(number)s) and the case's form comes
    next, to add its measures."""

    def message(done: tuple) -> str:
        _record, case = done
        return saved if case is None else opened % {"number": case.number}

    def then(done: tuple) -> object:
        record, case = done
        return record if case is None else reverse("inspections:case_edit", kwargs={"pk": case.pk})

    return form_saved(request, form, save, message, then=then)


def list_views(
    template: str,
    filter_class: type,
    table_class: type,
    export_class: type,
    ordering: tuple[str, ...],
    *,
    prefetch: tuple[str, ...] = (),
    export_prefetch: tuple[str, ...] = (),
) -> tuple[Callable, Callable]:
    """The two views of a kind of record's list: the filtered, paginated page with the button
    to record a new one, and its .xlsx export (the same filters, in ``ordering``)."""

    @role_required()
    def records(request: HttpRequest) -> HttpResponse:
        record_filter = filtered(request, filter_class, prefetch=prefetch)
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

    @role_required()
    def export(request: HttpRequest) -> HttpResponse:
        rows = filtered(request, filter_class, prefetch=prefetch).qs
        return export_class().response(rows.prefetch_related(*export_prefetch).order_by(*ordering))

    return records, export
