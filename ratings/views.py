"""Pages of the rating engine: early warning and the yearly evaluation."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core.exports import xlsx_response
from core.roles import Role, role_required
from employers.models import Employer

from .exports import EarlyWarningExport, YearlyEvaluationExport
from .filters import EarlyWarningFilter, YearlyEvaluationFilter
from .forms import MarkNotifiedForm, NotifiedForm
from .models import YearlyEvaluation
from .selectors import EARLY_WARNING_DAYS, early_warning_cases
from .services import (
    yearly_evaluate,
    yearly_evaluation_check_year,
    yearly_evaluation_set_notified,
    yearly_evaluations_mark_notified,
)
from .tables import EarlyWarningTable, YearlyEvaluationTable

PAGE_SIZE = 50

# The yearly evaluation is the bureau's: supervisors and admins.
district_only = role_required(Role.SUPERVISOR, Role.ADMIN)


# --- early warning --------------------------------------------------------------------------


def _early_warning(request: HttpRequest) -> tuple[EarlyWarningFilter, datetime.date]:
    today = timezone.localdate()
    cases = early_warning_cases(user=request.user, today=today)
    return EarlyWarningFilter(request.GET or None, queryset=cases, user=request.user), today


@role_required()
def early_warning(request: HttpRequest) -> HttpResponse:
    """Employers whose order or decision deadline falls within the next 7 days, not yet met."""
    warning_filter, today = _early_warning(request)
    table = EarlyWarningTable(warning_filter.qs, today=today)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render(
        request,
        "ratings/early_warning.html",
        {
            "filter": warning_filter,
            "table": table,
            "today": today,
            "last_day": today + datetime.timedelta(days=EARLY_WARNING_DAYS),
            "export_url": reverse("ratings:early_warning_export"),
        },
    )


@role_required()
def early_warning_export(request: HttpRequest) -> HttpResponse:
    warning_filter, today = _early_warning(request)
    return EarlyWarningExport(today=today).response(warning_filter.qs, stamp=today)


# --- yearly evaluation ----------------------------------------------------------------------


def _year_param(request: HttpRequest) -> int:
    """The year asked for, else the latest evaluated year, else last year."""
    raw = (request.GET.get("year") or request.POST.get("year") or "").strip()
    if raw.isdigit():
        return int(raw)
    latest = YearlyEvaluation.objects.order_by("-year").values_list("year", flat=True).first()
    return latest or timezone.localdate().year - 1


def _yearly_filter(request: HttpRequest, year: int) -> YearlyEvaluationFilter:
    evaluations = YearlyEvaluation.objects.filter(year=year).select_related("employer__unit")
    data = request.GET.copy()
    data["year"] = str(year)
    return YearlyEvaluationFilter(data, queryset=evaluations, user=request.user)


@district_only
def yearly(request: HttpRequest) -> HttpResponse:
    """The yearly evaluation of one year: counts by level, the list, notification dates."""
    year = _year_param(request)
    yearly_filter = _yearly_filter(request, year)
    table = YearlyEvaluationTable(yearly_filter.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    counts = dict(
        YearlyEvaluation.objects.filter(year=year)
        .order_by()
        .values("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    years = list(
        YearlyEvaluation.objects.order_by("-year").values_list("year", flat=True).distinct()
    )
    return render(
        request,
        "ratings/yearly.html",
        {
            "year": year,
            "years": years,
            "filter": yearly_filter,
            "table": table,
            "counts": [(level, counts.get(level, 0)) for level in "ABC"],
            "total": sum(counts.values()),
            "unnotified": YearlyEvaluation.objects.filter(
                year=year, notified_on__isnull=True
            ).count(),
            "export_url": reverse("ratings:yearly_export"),
            "mark_form": MarkNotifiedForm(initial={"notified_on": timezone.localdate()}),
            "last_year": timezone.localdate().year - 1,
        },
    )


@district_only
def yearly_run(request: HttpRequest) -> HttpResponse:
    """GET: what running the evaluation for a year will do; POST (confirmed): run it."""
    year = _year_param(request)
    try:
        yearly_evaluation_check_year(year)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{reverse('ratings:yearly')}?year={timezone.localdate().year - 1}")
    existing = YearlyEvaluation.objects.filter(year=year)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the confirmation box to run the evaluation."))
        else:
            summary = yearly_evaluate(year=year)
            messages.success(
                request,
                _(
                    "Yearly evaluation %(year)s done: %(count)s employers, "
                    "A %(a)s, B %(b)s, C %(c)s."
                )
                % {
                    "year": year,
                    "count": summary.evaluated,
                    "a": summary.by_level["A"],
                    "b": summary.by_level["B"],
                    "c": summary.by_level["C"],
                },
            )
            return redirect(f"{reverse('ratings:yearly')}?year={year}")
    return render(
        request,
        "ratings/yearly_run.html",
        {
            "year": year,
            "existing": existing.count(),
            "notified": existing.filter(notified_on__isnull=False).count(),
            "employers": Employer.objects.count(),
        },
    )


@district_only
def yearly_export(request: HttpRequest) -> HttpResponse:
    """The city system's layout: credit code, name, unit, level, clauses."""
    year = _year_param(request)
    evaluations = _yearly_filter(request, year).qs.order_by(
        "employer__unit__code", "employer__credit_code"
    )
    export = YearlyEvaluationExport()
    return xlsx_response(
        filename=f"yearly-evaluation-{year}.xlsx",
        header=export.header(),
        rows=export.rows(evaluations),
        sheet_title=f"{year}",
    )


@district_only
def yearly_notified(request: HttpRequest, pk: int) -> HttpResponse:
    """Record (or clear) the date one employer was notified of its yearly level."""
    evaluation = get_object_or_404(YearlyEvaluation.objects.select_related("employer"), pk=pk)
    form = NotifiedForm(request.POST or None, initial={"notified_on": evaluation.notified_on})
    if request.method == "POST" and form.is_valid():
        yearly_evaluation_set_notified(
            evaluation=evaluation, notified_on=form.cleaned_data["notified_on"], user=request.user
        )
        messages.success(
            request,
            _("Notification date of %(name)s saved.") % {"name": evaluation.employer.name},
        )
        return redirect(f"{reverse('ratings:yearly')}?year={evaluation.year}")
    return render(request, "ratings/yearly_notified.html", {"evaluation": evaluation, "form": form})


@require_POST
@district_only
def yearly_mark_notified(request: HttpRequest) -> HttpResponse:
    """Record one notification date on every listed evaluation not yet notified."""
    year = _year_param(request)
    form = MarkNotifiedForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(f"{reverse('ratings:yearly')}?year={year}")
    evaluations = YearlyEvaluation.objects.filter(year=year)
    level = request.POST.get("level", "")
    if level:
        evaluations = evaluations.filter(level=level)
    count = yearly_evaluations_mark_notified(
        evaluations=evaluations, notified_on=form.cleaned_data["notified_on"], user=request.user
    )
    messages.success(
        request, _("Notification date recorded for %(count)s employers.") % {"count": count}
    )
    return redirect(f"{reverse('ratings:yearly')}?year={year}")
