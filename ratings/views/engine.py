"""Pages of the rating engine: the rating panel, early warning, the yearly evaluation."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core.exports import xlsx_response
from core.roles import require_role, sees_whole_district
from employers.models import Employer

from .. import rules
from ..filters_engine import EarlyWarningFilter, YearlyEvaluationFilter
from ..models import Rating, RatingHistory, YearlyEvaluation
from ..selectors import early_warning_cases, employer_case_facts
from ..services import (
    CAUSES,
    yearly_evaluate,
    yearly_evaluation_check_year,
    yearly_evaluation_set_notified,
    yearly_evaluations_mark_notified,
)
from ..tables_engine import EarlyWarningTable, YearlyEvaluationTable

PAGE_SIZE = 50
HISTORY_SHOWN = 20

# The column headers of the city system's layout (machine interface: not translated).
CITY_HEADER = ["统一社会信用代码", "单位名称", "所属街镇", "信用等级", "评级依据"]


def _require_district(user: AbstractBaseUser) -> None:
    """The yearly evaluation is the bureau's: supervisors and admins."""
    require_role(user)
    if not sees_whole_district(user):
        raise PermissionDenied


# --- the rating panel on the employer page ---------------------------------------------------


def _case_url(case_id: int) -> str | None:
    try:
        return reverse("inspections:case_detail", kwargs={"pk": case_id})
    except NoReverseMatch:
        return None


def _day_before(iso: str | None) -> str | None:
    if not iso:
        return None
    return (datetime.date.fromisoformat(iso) - datetime.timedelta(days=1)).isoformat()


def _case_line(code: str, item: dict) -> str:
    if code == "C2":
        return _("Order to correct %(number)s overdue and not rectified since %(on)s") % item
    if code == "C3":
        return _("Handling decision %(number)s not performed since %(on)s") % item
    last = _day_before(item.get("until"))
    if last:
        return _("%(number)s, dated %(on)s; counts until %(last)s") % {**item, "last": last}
    return _("%(number)s, dated %(on)s") % item


def explain_clauses(clauses: list[dict]) -> list[dict]:
    """Stored clauses in plain words, each case with a link to it."""
    explained = []
    for clause in clauses:
        code = clause["code"]
        explained.append(
            {
                "code": code if code in rules.C_CODES else "",
                "title": str(rules.CLAUSE_TITLES.get(code, code)),
                "cases": [
                    {"text": _case_line(code, item), "url": _case_url(item["id"])}
                    for item in clause.get("cases", [])
                ],
            }
        )
    return explained


def _outlook_lines(outlook: rules.Outlook, current_level: str) -> list[dict]:
    lines = []
    for remedy in outlook.remedies:
        values = {
            "number": remedy.number,
            "on": remedy.overdue_since.isoformat(),
            "level": remedy.level_after,
        }
        if remedy.kind == "rectify":
            text = _(
                "C2: order to correct %(number)s not rectified since %(on)s; "
                "recording the rectification makes it %(level)s"
            )
        else:
            text = _(
                "C3: handling decision %(number)s not performed since %(on)s; "
                "recording its performance makes it %(level)s"
            )
        lines.append({"text": text % values})
    if outlook.all_remedied_level:
        lines.append(
            {
                "text": _("Recording all of them makes it %(level)s")
                % {"level": outlook.all_remedied_level}
            }
        )
    if outlook.next_change_on:
        values = {
            "date": outlook.next_change_on.isoformat(),
            "level": outlook.next_level,
            "codes": outlook.next_clause_codes or outlook.next_level,
        }
        if outlook.next_level != current_level:
            text = _("Without new records it becomes %(level)s on %(date)s (%(codes)s)")
        else:
            text = _("Without new records the reasons change on %(date)s (still %(level)s)")
        lines.append({"text": text % values})
    return lines


def _not_counted_lines(result: rules.Rating) -> list[str]:
    lines = []
    for item in result.not_counted:
        if item.reason == "withdrawn":
            lines.append(_("%(number)s was withdrawn and does not count") % {"number": item.number})
        else:
            lines.append(
                _("%(number)s has measures but no decision date yet, so it does not count yet")
                % {"number": item.number}
            )
    return lines


def rating_panel(request: HttpRequest, employer: Employer) -> dict:
    """Context of the rating panel (order 10). Three queries: rating, history, case facts."""
    rating = Rating.objects.filter(employer=employer).first()
    history = list(RatingHistory.objects.filter(employer=employer)[:HISTORY_SHOWN])
    facts = employer_case_facts(employer_id=employer.pk)
    today = timezone.localdate()
    window = settings.RATING_WINDOW_MONTHS
    live = rules.evaluate(facts, today=today, window_months=window)
    stored_clauses = rating.clauses if rating else []
    stale = rating is None or rating.level != live.level or rating.clause_codes != live.clause_codes
    for entry in history:
        entry.cause_label = CAUSES.get(entry.cause, entry.cause)
    return {
        "rating": rating,
        "level": rating.level if rating else live.level,
        "clauses": explain_clauses(stored_clauses),
        "stale": stale,
        "history": history,
        "outlook": _outlook_lines(
            rules.outlook(facts, today=today, window_months=window), live.level
        ),
        "not_counted": _not_counted_lines(live),
        "window_months": window,
        "window_start": live.window_start + datetime.timedelta(days=1),
    }


# --- early warning --------------------------------------------------------------------------


def _early_warning(request: HttpRequest) -> tuple[EarlyWarningFilter, datetime.date]:
    today = timezone.localdate()
    cases = early_warning_cases(user=request.user, today=today)
    return EarlyWarningFilter(request.GET or None, queryset=cases, user=request.user), today


def early_warning(request: HttpRequest) -> HttpResponse:
    """Employers whose order or decision deadline falls within the next 7 days, not yet met."""
    require_role(request.user)
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
            "last_day": today + datetime.timedelta(days=7),
            "export_url": reverse("ratings:early_warning_export"),
        },
    )


def early_warning_export(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    warning_filter, today = _early_warning(request)
    header = [
        _("Deadline"),
        _("Days left"),
        _("Unified social credit code"),
        _("Employer"),
        _("Area unit"),
        _("Case number"),
        _("Order to correct, deadline"),
        _("Handling decision, deadline"),
        _("Current level"),
    ]
    rows = (
        (
            case.due_on,
            (case.due_on - today).days,
            case.employer.credit_code,
            case.employer.name,
            case.employer.unit.name,
            case.number,
            case.order_due_on,
            case.decision_due_on,
            getattr(getattr(case.employer, "rating", None), "level", ""),
        )
        for case in warning_filter.qs.iterator(chunk_size=2000)
    )
    return xlsx_response(
        filename=f"early-warning-{today:%Y%m%d}.xlsx",
        header=header,
        rows=rows,
        sheet_title=_("Early warning"),
    )


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


class NotifiedForm(forms.Form):
    notified_on = forms.DateField(
        label=gettext_lazy("Notified on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )


class MarkNotifiedForm(forms.Form):
    notified_on = forms.DateField(
        label=gettext_lazy("Notified on"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I confirm these employers were notified on this date"),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


def yearly(request: HttpRequest) -> HttpResponse:
    """The yearly evaluation of one year: counts by level, the list, notification dates."""
    _require_district(request.user)
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


def yearly_run(request: HttpRequest) -> HttpResponse:
    """GET: what running the evaluation for a year will do; POST (confirmed): run it."""
    _require_district(request.user)
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


def yearly_export(request: HttpRequest) -> HttpResponse:
    """The city system's layout: credit code, name, unit, level, clauses."""
    _require_district(request.user)
    year = _year_param(request)
    evaluations = _yearly_filter(request, year).qs.order_by(
        "employer__unit__code", "employer__credit_code"
    )
    rows = (
        (e.employer.credit_code, e.employer.name, e.employer.unit.name, e.level, e.clause_codes)
        for e in evaluations.iterator(chunk_size=2000)
    )
    return xlsx_response(
        filename=f"yearly-evaluation-{year}.xlsx",
        header=CITY_HEADER,
        rows=rows,
        sheet_title=f"{year}",
    )


def yearly_notified(request: HttpRequest, pk: int) -> HttpResponse:
    """Record (or clear) the date one employer was notified of its yearly level."""
    _require_district(request.user)
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
def yearly_mark_notified(request: HttpRequest) -> HttpResponse:
    """Record one notification date on every listed evaluation not yet notified."""
    _require_district(request.user)
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
