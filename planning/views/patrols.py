"""Patrols due by level: the due/overdue list and the admins' interval settings."""

import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from core.roles import Role, is_admin, role_required
from ratings.models import Level

from ..exports import PatrolsDueExport
from ..filters import PatrolDueFilter
from ..forms import PatrolIntervalsForm
from ..selectors import (
    due_counts_by_unit,
    employers_patrol_due,
    filter_due_by,
    filter_overdue,
    patrol_intervals,
)
from ..services import patrol_intervals_update
from ..tables import PatrolDueTable
from .watchlist import _CountedPaginator

PAGE_SIZE = 50
# The list shows what is overdue and what falls due within this many days.
DUE_HORIZON_DAYS = 30


class _DueList:
    """The user's filters applied to the employers they may see, and from those the rows due
    within the horizon (the list) and the overdue ones (a subset, for the summary)."""

    def __init__(self, request: HttpRequest, intervals: dict[str, int]) -> None:
        today = timezone.localdate()
        self.filter = PatrolDueFilter(
            request.GET or None,
            queryset=employers_patrol_due(user=request.user, intervals=intervals),
            user=request.user,
            today=today,
            intervals=intervals,
        )
        self.today = today
        self.intervals = intervals
        filtered = self.filter.qs
        self.overdue_only = bool(
            self.filter.is_bound and self.filter.form.cleaned_data.get("overdue")
        )
        if self.overdue_only:
            self.rows = filtered
        else:
            horizon = today + datetime.timedelta(days=DUE_HORIZON_DAYS)
            self.rows = filter_due_by(filtered, horizon, intervals)
        self.overdue = filtered if self.overdue_only else filter_overdue(filtered, today, intervals)


def _summary_by_unit(due_list: _DueList) -> list[dict]:
    """Per unit: how many are overdue and how many fall due soon (one grouped statement on the
    stored due date, shared for a minute when the list is large)."""
    overdue_before = None if due_list.overdue_only else due_list.today
    counts = due_counts_by_unit(due_list.rows, overdue_before)
    return [
        {"unit__code": code, "unit__name": name, "overdue": late, "due_soon": n - late}
        for (code, name), (n, late) in sorted(counts.items())
    ]


@role_required()
def patrols_due(request: HttpRequest) -> HttpResponse:
    intervals = patrol_intervals()
    due_list = _DueList(request, intervals)
    table = PatrolDueTable(due_list.rows, today=due_list.today)
    summary = _summary_by_unit(due_list)
    # every employer has a unit: the summary's counts add up to the list's total
    total = sum(row["overdue"] + row["due_soon"] for row in summary)
    paginate = {"per_page": PAGE_SIZE, "paginator_class": _CountedPaginator}
    paginate["count_rows"] = lambda: total
    RequestConfig(request, paginate=paginate).configure(table)
    return render(
        request,
        "planning/patrols_due_list.html",
        {
            "filter": due_list.filter,
            "table": table,
            "summary": summary,
            "horizon_days": DUE_HORIZON_DAYS,
            "intervals": intervals,
            "may_edit_intervals": is_admin(request.user),
        },
    )


@role_required()
def patrols_due_export(request: HttpRequest) -> HttpResponse:
    due_list = _DueList(request, patrol_intervals())
    rows = due_list.rows.order_by("unit__code", "patrol_due_on", "id")
    return PatrolsDueExport(today=due_list.today).response(rows, stamp=due_list.today)


@role_required(Role.ADMIN)
def intervals_edit(request: HttpRequest) -> HttpResponse:
    """Admins set the months between patrols per level."""
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
        return redirect("planning:intervals")
    return render(
        request,
        "planning/intervals_form.html",
        {"form": form, "levels": Level.choices, "current": current},
    )
