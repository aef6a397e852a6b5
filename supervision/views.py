import datetime
import logging
from functools import partial

import kombu.exceptions
import redis.exceptions
from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.roles import role_required, sees_whole_district
from employers.models import Unit

from .checks import CHECKS, CHECKS_BY_CODE
from .exports import CoverageExport
from .models import CheckCode, CoverageRun
from .months import MonthError, format_month, parse_month, previous_month
from .presentation import figure_text, subject_count_text
from .selectors import (
    check_for_cell,
    latest_run,
    month_matrix,
    months_with_results,
    rating_distribution,
    trend,
    units_visible_to,
)
from .services import coverage_run_create, coverage_runs_fail_stale
from .tables import subject_table
from .tasks import coverage_run_execute_task

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
# A run asked for less than this long ago and not finished yet is not queued a second time.
# Publishing a task fails with these when Redis is down (after the app's publish retries).
BROKER_ERRORS = (
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)
BROKER_UNREACHABLE = "broker unreachable"


def _queue_run(run_id: int) -> None:
    """Queue a run once its row is committed. With the broker unreachable the run is marked
    failed with the reason, so the page can say so and the button works again later."""
    try:
        coverage_run_execute_task.delay(run_id)
    except BROKER_ERRORS as exc:
        logger.warning("coverage run %s not queued: %s", run_id, exc)
        CoverageRun.objects.filter(pk=run_id, status=CoverageRun.Status.QUEUED).update(
            status=CoverageRun.Status.FAILED,
            finished_at=timezone.now(),
            error=f"{BROKER_UNREACHABLE}: {exc}"[:2000],
        )


def _require_run_permission(user: AbstractBaseUser) -> None:
    if not sees_whole_district(user):
        raise PermissionDenied


def _month_from_request(request: HttpRequest) -> datetime.date:
    """The month asked for, else the latest month with results, else the previous month.
    A malformed month falls back with a message instead of an error page."""
    raw = request.GET.get("month", "").strip()
    if raw:
        try:
            return parse_month(raw)
        except MonthError as exc:
            messages.error(request, str(exc))
    known = months_with_results(limit=1)
    return known[0] if known else previous_month()


def _get_unit_for_user(user: AbstractBaseUser, unit_code: str) -> Unit:
    """The unit if this user may see it; 404 otherwise."""
    unit = units_visible_to(user).filter(code=unit_code).first()
    if unit is None:
        raise Http404
    return unit


@role_required()
def dashboard(request: HttpRequest) -> HttpResponse:
    coverage_runs_fail_stale()  # a dead worker's run shows failed, with its rerun button
    month = _month_from_request(request)
    units = units_visible_to(request.user)
    rows = month_matrix(month=month, units=units)
    for row in rows:
        row.cell_views = [
            {
                "check": check,
                "cell": cell,
                "text": figure_text(cell) if cell else "",
                "url": (
                    reverse(
                        "supervision:cell",
                        kwargs={
                            "month": format_month(month),
                            "unit_code": row.unit.code,
                            "code": check.code,
                        },
                    )
                    if cell is not None and not cell.passed
                    else ""
                ),
            }
            for check, cell in zip(CHECKS, row.cells, strict=True)
        ]
    has_results = any(row.result for row in rows)
    distribution, counted_at = rating_distribution(units=units)
    known_months = months_with_results()
    return render(
        request,
        "supervision/dashboard.html",
        {
            "month": month,
            "month_value": format_month(month),
            "checks": [(c.code, CheckCode(c.code).label) for c in CHECKS],
            "rows": rows,
            "has_results": has_results,
            "computed_at": max((r.result.computed_at for r in rows if r.result), default=None),
            # the district's share with one unit's, the one asked for (?unit=) or the lowest
            "trend": trend(units=units, last_month=month, selected=request.GET.get("unit")),
            "distribution": distribution,
            "distribution_counted_at": counted_at,
            "run": latest_run(month),
            "may_run": sees_whole_district(request.user),
            "known_months": [format_month(m) for m in known_months],
        },
    )


@role_required()
def export(request: HttpRequest) -> HttpResponse:
    month = _month_from_request(request)
    matrix = month_matrix(month=month, units=units_visible_to(request.user))
    return CoverageExport(month).response(matrix)


@role_required()
def cell(request: HttpRequest, month: str, unit_code: str, code: str) -> HttpResponse:
    """The employers or records behind one cell of the matrix, as recorded by the check."""
    try:
        first_day = parse_month(month)
    except MonthError as exc:
        raise Http404 from exc
    if code not in CHECKS_BY_CODE:
        raise Http404
    unit = _get_unit_for_user(request.user, unit_code)
    check = check_for_cell(month=first_day, unit=unit, code=code)
    if check is None:
        raise Http404
    definition = CHECKS_BY_CODE[code]
    ids = list(check.subject_ids)
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    page_ids = list(page.object_list)
    table = subject_table(definition.subject, request.user, page_ids)
    return render(
        request,
        "supervision/cell.html",
        {
            "month": first_day,
            "month_value": format_month(first_day),
            "unit": unit,
            "check": check,
            "check_label": CheckCode(code).label,
            "figure": figure_text(check),
            "count_text": subject_count_text(check, len(ids)),
            "table": table,
            "page": page,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required()
def run(request: HttpRequest) -> HttpResponse:
    """Run the checks of a month now: a confirmation page, then the POST queues the task once
    the run row is committed (in development, with eager tasks, it runs right away)."""
    _require_run_permission(request.user)
    raw = request.POST.get("month") if request.method == "POST" else request.GET.get("month")
    try:
        month = parse_month(raw or format_month(previous_month()))
    except MonthError as exc:
        messages.error(request, str(exc))
        return redirect("supervision:dashboard")
    dashboard_url = f"{reverse('supervision:dashboard')}?month={format_month(month)}"
    if request.method == "GET":
        coverage_runs_fail_stale()
        return render(
            request,
            "supervision/run_confirm.html",
            {"month_value": format_month(month), "run": latest_run(month)},
        )
    # A run whose worker died does not hold the month: it is failed here and rerun at once.
    coverage_runs_fail_stale()
    pending = CoverageRun.objects.filter(month=month).pending().exists()
    if pending:
        messages.info(
            request,
            _("The checks of %(month)s are already queued; the results appear when they finish.")
            % {"month": format_month(month)},
        )
        return redirect(dashboard_url)
    new_run = coverage_run_create(
        month=month, source=CoverageRun.Source.DASHBOARD, requested_by=request.user
    )
    transaction.on_commit(partial(_queue_run, new_run.pk))
    new_run.refresh_from_db(fields=["status", "error"])
    if new_run.status == CoverageRun.Status.FAILED and new_run.error.startswith(BROKER_UNREACHABLE):
        messages.error(
            request,
            _(
                "The task queue (Redis) cannot be reached: the checks of %(month)s were not "
                "queued and the previous results are unchanged. Try again later, or ask an "
                "administrator to run “manage.py coverage_check --month %(month)s”."
            )
            % {"month": format_month(month)},
        )
    elif new_run.status == CoverageRun.Status.FAILED:
        messages.error(
            request,
            _("The checks of %(month)s failed; the previous results are unchanged.")
            % {"month": format_month(month)},
        )
    elif new_run.status == CoverageRun.Status.DONE:
        messages.success(
            request, _("The checks of %(month)s have run.") % {"month": format_month(month)}
        )
    else:
        messages.success(
            request,
            _("The checks of %(month)s are queued; reload this page in a minute.")
            % {"month": format_month(month)},
        )
    return redirect(dashboard_url)
