"""Cases: list, export, create, detail with a timeline, edit, and the actions on a case."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.roles import is_supervisor, role_required
from core.text import join_list

from .. import services
from ..exports import CaseExport
from ..filters import CaseFilter
from ..forms import (
    CaseForm,
    CloseForm,
    EvidenceForm,
    SeriousForm,
    WithdrawForm,
    add_validation_error,
)
from ..models import Case
from ..tables import CaseTable
from .common import (
    employer_picked,
    list_page,
    may_edit_employer,
    require_editor,
)


def _get_case_for_user(user, pk: int, *, edit: bool = False) -> Case:
    if edit:
        require_editor(user)
    cases = Case.objects.editable_by(user) if edit else Case.objects.visible_to(user)
    return get_object_or_404(
        cases.select_related(
            "employer__unit", "source_patrol", "source_review", "created_by", "serious_judged_by"
        ),
        pk=pk,
    )


def _filtered(request: HttpRequest) -> CaseFilter:
    queryset = Case.objects.visible_to(request.user).select_related("employer__unit")
    return CaseFilter(request.GET or None, queryset=queryset, user=request.user)


@role_required()
def case_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, _filtered(request), CaseTable, "inspections/case_list.html")


@role_required()
def case_export(request: HttpRequest) -> HttpResponse:
    return CaseExport().response(_filtered(request).qs.order_by("-opened_on", "-id"))


def case_create(request: HttpRequest) -> HttpResponse:
    employer = employer_picked(request, title=_("Open a case"), target="case")
    if isinstance(employer, HttpResponse):
        return employer
    case = Case(employer=employer, source=request.GET.get("source") or Case.Source.SPECIAL)
    form = CaseForm(request.POST or None, instance=case, employer=employer, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_open(
                employer=employer,
                source=data["source"],
                opened_on=data["opened_on"],
                inspectors=data["inspectors"],
                created_by=request.user,
                number=data["number"] or None,
                violation_items=data["violation_items"],
                facts=data["facts"],
                measures=form.measures(),
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            return redirect(case)
    return render(
        request, "inspections/case_form.html", {"form": form, "employer": employer, "case": None}
    )


@role_required()
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case_for_user(request.user, pk, edit=True)
    form = CaseForm(request.POST or None, instance=case, employer=case.employer, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_save(
                case=form.instance, inspectors=form.cleaned_data["inspectors"], user=request.user
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Case %(number)s saved.") % {"number": case.number})
            return redirect(case)
    return render(
        request,
        "inspections/case_form.html",
        {"form": form, "employer": case.employer, "case": case},
    )


@dataclass
class TimelineEntry:
    on: datetime.date | datetime.datetime
    label: str
    detail: str = ""
    css: str = ""
    user: str = ""


def _timeline(case: Case, today: datetime.date) -> list[TimelineEntry]:
    """The case's dates in order: opening, decision, deadlines (met or overdue), closing."""
    entries = [TimelineEntry(case.opened_on, _("Case opened"), case.get_source_display())]
    if case.decided_on:
        entries.append(
            TimelineEntry(case.decided_on, _("Decision"), join_list(case.measure_labels))
        )
    if case.order_issued and case.order_deadline:
        entries.append(
            TimelineEntry(
                case.order_deadline,
                _("Correction deadline"),
                css="text-danger" if case.order_overdue(today) else "",
                detail=_("Overdue, not rectified") if case.order_overdue(today) else "",
            )
        )
    if case.order_rectified_on:
        entries.append(TimelineEntry(case.order_rectified_on, _("Rectified"), css="text-success"))
    if case.decision_issued and case.decision_deadline:
        entries.append(
            TimelineEntry(
                case.decision_deadline,
                _("Performance deadline"),
                case.decision_number,
                css="text-danger" if case.decision_overdue(today) else "",
            )
        )
    if case.decision_fulfilled_on:
        entries.append(
            TimelineEntry(case.decision_fulfilled_on, _("Decision fulfilled"), css="text-success")
        )
    if case.closed_on:
        entries.append(TimelineEntry(case.closed_on, _("Case closed")))
    entries.sort(key=lambda e: e.on)
    return entries


def _changes(case: Case) -> list[TimelineEntry]:
    """Who changed what, newest first, from the audit history (one query for 30 rows)."""
    records = list(case.history.select_related("history_user")[:30])
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        user = (
            newer.history_user.get_full_name() or newer.history_user.username
            if newer.history_user
            else ""
        )
        if older is None or newer.history_type == "+":
            entries.append(TimelineEntry(newer.history_date, _("Recorded"), user=user))
            continue
        delta = newer.diff_against(older, excluded_fields=["updated_at"])
        if not delta.changes:
            continue
        fields = join_list(Case._meta.get_field(c.field).verbose_name for c in delta.changes)
        entries.append(TimelineEntry(newer.history_date, _("Changed"), fields, user=user))
    return entries


@role_required()
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case_for_user(request.user, pk)
    may_edit = may_edit_employer(request.user, case.employer)
    today = timezone.localdate()
    supervisor = is_supervisor(request.user)
    return render(
        request,
        "inspections/case_detail.html",
        {
            "case": case,
            "employer": case.employer,
            "inspectors": case.inspectors.all(),
            "timeline": _timeline(case, today),
            "changes": _changes(case),
            "order_overdue": case.order_overdue(today),
            "decision_overdue": case.decision_overdue(today),
            "may_edit": may_edit,
            "may_judge": supervisor,
            "serious_form": SeriousForm(
                initial={"serious": case.serious, "serious_reason": case.serious_reason}
            )
            if supervisor
            else None,
            "withdraw_form": WithdrawForm() if may_edit and not case.withdrawn else None,
            "close_form": CloseForm() if may_edit and not case.closed_on else None,
            "evidence": case.evidence_files.select_related("uploaded_by"),
            "evidence_form": EvidenceForm() if may_edit else None,
            "evidence_url": "inspections:case_evidence",
        },
    )


@require_POST
@role_required()
def case_serious(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case_for_user(request.user, pk)
    if not is_supervisor(request.user):
        raise PermissionDenied(_("Only a supervisor may judge a violation serious."))
    form = SeriousForm(request.POST)
    if form.is_valid():
        try:
            services.case_judge_serious(
                case=case,
                serious=form.cleaned_data["serious"],
                reason=form.cleaned_data["serious_reason"],
                user=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Judgement saved."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(case)


@require_POST
@role_required()
def case_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case_for_user(request.user, pk, edit=True)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        services.case_withdraw(
            case=case, reason=form.cleaned_data["withdrawn_reason"], user=request.user
        )
        messages.success(request, _("Case %(number)s withdrawn.") % {"number": case.number})
    else:
        messages.error(request, _("Give the reason for withdrawing the case."))
    return redirect(case)


@require_POST
@role_required()
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case_for_user(request.user, pk, edit=True)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.case_close(
                case=case, closed_on=form.cleaned_data["closed_on"], user=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Case %(number)s closed.") % {"number": case.number})
    else:
        messages.error(request, _("Enter the closing date."))
    return redirect(case)
