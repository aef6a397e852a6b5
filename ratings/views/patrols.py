"""Patrols due by level: the due/overdue list and the admins' interval settings."""

import datetime

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from employers.exports import xlsx_response
from employers.roles import is_admin, roles_of

from ..filters import PatrolDueFilter
from ..forms_uses import PatrolIntervalsForm
from ..models import Level
from ..selectors_uses import date_from_due_key, date_key, employers_patrol_due, patrol_intervals
from ..services_uses import patrol_intervals_update
from ..tables import PatrolDueTable

PAGE_SIZE = 50
# The list shows what is overdue and what falls due within this many days.
DUE_HORIZON_DAYS = 30


def _require_role(user: AbstractBaseUser) -> None:
    if not roles_of(user):
        raise Http404


def _filtered_due(request: HttpRequest, intervals: dict[str, int]) -> PatrolDueFilter:
    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=DUE_HORIZON_DAYS)
    # due date <= horizon  <=>  due key < key of the day after (exact, see selectors_uses)
    queryset = employers_patrol_due(user=request.user, intervals=intervals).filter(
        due_key__lt=date_key(horizon + datetime.timedelta(days=1))
    )
    return PatrolDueFilter(request.GET or None, queryset=queryset, user=request.user, today=today)


def _summary_by_unit(queryset: QuerySet, today: datetime.date) -> list[dict]:
    """Per unit: how many are overdue and how many fall due soon (one query)."""
    today_key = date_key(today)
    return list(
        queryset.order_by()
        .values("unit__code", "unit__name")
        .annotate(
            overdue=Count("id", filter=Q(due_key__lt=today_key)),
            due_soon=Count("id", filter=Q(due_key__gte=today_key)),
        )
        .order_by("unit__code")
    )


def patrols_due(request: HttpRequest) -> HttpResponse:
    _require_role(request.user)
    intervals = patrol_intervals()
    due_filter = _filtered_due(request, intervals)
    table = PatrolDueTable(due_filter.qs, today=due_filter.today)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render(
        request,
        "ratings/patrols_due_list.html",
        {
            "filter": due_filter,
            "table": table,
            "summary": _summary_by_unit(due_filter.qs, due_filter.today),
            "horizon_days": DUE_HORIZON_DAYS,
            "intervals": intervals,
            "may_edit_intervals": is_admin(request.user),
        },
    )


def patrols_due_export(request: HttpRequest) -> HttpResponse:
    _require_role(request.user)
    due_filter = _filtered_due(request, patrol_intervals())
    today_key = date_key(due_filter.today)
    header = [
        _("Area unit"),
        _("Unified social credit code"),
        _("Employer name"),
        _("Level"),
        _("Last patrol"),
        _("Next patrol due"),
        _("Overdue"),
    ]
    rows = (
        (
            e.unit.name,
            e.credit_code,
            e.name,
            e.level,
            e.last_patrol,
            date_from_due_key(e.due_key),
            _("Yes") if e.due_key < today_key else _("No"),
        )
        for e in due_filter.qs.order_by("unit__code", "due_key", "id").iterator(chunk_size=2000)
    )
    stamp = due_filter.today.strftime("%Y%m%d")
    return xlsx_response(
        filename=f"patrols-due-{stamp}.xlsx",
        header=header,
        rows=rows,
        sheet_title=_("Patrols due"),
    )


def intervals_edit(request: HttpRequest) -> HttpResponse:
    """Admins set the months between patrols per level."""
    _require_role(request.user)
    if not is_admin(request.user):
        raise PermissionDenied
    current = patrol_intervals()
    form = PatrolIntervalsForm(request.POST or None, initial_months=current)
    if request.method == "POST" and form.is_valid():
        changed = patrol_intervals_update(months=form.months)
        if changed:
            messages.success(
                request,
                _("Patrol intervals saved (changed: %(levels)s).") % {"levels": ", ".join(changed)},
            )
        else:
            messages.info(request, _("Nothing changed."))
        return redirect("ratings:intervals")
    return render(
        request,
        "ratings/intervals_form.html",
        {"form": form, "levels": Level.choices, "current": current},
    )
