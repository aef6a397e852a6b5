"""Cases: list, export, create, detail with a timeline, edit, and the actions on a case."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.pages import action_done, form_saved
from core.roles import is_supervisor, role_required
from core.text import join_list
from employers.models import Employer

from .. import services
from ..exports import CaseExport
from ..filters import CaseFilter
from ..forms import CaseForm, CloseForm, EvidenceForm, SeriousForm, WithdrawForm
from ..models import Case
from ..tables import CaseTable
from .common import form_views, list_views, may_edit_employer, record_for_user


def _case(user, pk: int, *, edit: bool = False) -> Case:
    related = (
        "employer__unit",
        "source_patrol",
        "source_review",
        "created_by",
        "serious_judged_by",
    )
    return record_for_user(Case, user, pk, edit=edit, related=related)


def _case_form(request: HttpRequest, employer: Employer, case: Case) -> HttpResponse:
    new = case.pk is None
    if new:
        case.source = request.GET.get("source") or Case.Source.SPECIAL
    form = CaseForm(request.POST or None, instance=case, employer=employer, user=request.user)

    def case_open(data: dict) -> Case:
        return services.case_open(
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

    def case_save(data: dict) -> Case:
        return services.case_save(
            case=form.instance, inspectors=data["inspectors"], user=request.user
        )

    saved = form_saved(
        request,
        form,
        case_open if new else case_save,
        lambda case: (
            (_("Case %(number)s opened.") if new else _("Case %(number)s saved."))
            % {"number": case.number}
        ),
    )
    return saved or render(
        request,
        "inspections/case_form.html",
        {"form": form, "employer": employer, "case": None if new else case},
    )


case_list, case_export = list_views(
    "inspections/case_list.html", CaseFilter, CaseTable, CaseExport, ("-opened_on", "-id")
)
case_create, case_edit = form_views(Case, gettext_lazy("Open a case"), "case", _case_form)


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
    case = _case(request.user, pk)
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
    case = _case(request.user, pk)
    if not is_supervisor(request.user):
        raise PermissionDenied(_("Only a supervisor may judge a violation serious."))
    action_done(
        request,
        SeriousForm(request.POST),
        lambda data: services.case_judge_serious(
            case=case, serious=data["serious"], reason=data["serious_reason"], user=request.user
        ),
        _("Judgement saved."),
    )
    return redirect(case)


@require_POST
@role_required()
def case_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request.user, pk, edit=True)
    action_done(
        request,
        WithdrawForm(request.POST),
        lambda data: services.case_withdraw(
            case=case, reason=data["withdrawn_reason"], user=request.user
        ),
        _("Case %(number)s withdrawn.") % {"number": case.number},
        invalid=_("Give the reason for withdrawing the case."),
    )
    return redirect(case)


@require_POST
@role_required()
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request.user, pk, edit=True)
    action_done(
        request,
        CloseForm(request.POST),
        lambda data: services.case_close(case=case, closed_on=data["closed_on"], user=request.user),
        _("Case %(number)s closed.") % {"number": case.number},
        invalid=_("Enter the closing date."),
    )
    return redirect(case)
