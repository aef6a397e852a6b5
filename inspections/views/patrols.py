"""Patrols: list, export, create (optionally opening a case), detail, edit."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.roles import role_required
from employers.models import Employer

from ..exports import PatrolExport
from ..filters import PatrolFilter
from ..forms import EvidenceForm, PatrolForm
from ..models import Patrol
from ..services import patrol_save
from ..tables import PatrolTable
from .common import (
    form_saved_or_case_opened,
    form_views,
    list_views,
    may_edit_employer,
    record_for_user,
)


def _patrol_form(request: HttpRequest, employer: Employer, patrol: Patrol) -> HttpResponse:
    is_new = patrol.pk is None
    form = PatrolForm(request.POST or None, instance=patrol, employer=employer, user=request.user)
    saved = form_saved_or_case_opened(
        request,
        form,
        lambda data: patrol_save(
            patrol=form.instance,
            inspectors=data["inspectors"],
            checks=form.checks(),
            user=request.user,
        ),
        _("Patrol saved."),
        _("Patrol saved and case %(number)s opened: add its measures."),
    )
    return saved or render(
        request,
        "inspections/patrol_form.html",
        {"form": form, "employer": employer, "patrol": patrol, "is_new": is_new},
    )


patrol_list, patrol_export = list_views(
    "inspections/patrol_list.html",
    PatrolFilter,
    PatrolTable,
    PatrolExport,
    ("-patrolled_on", "-id"),
    prefetch=("inspectors",),
    export_prefetch=("checks",),
)
patrol_create, patrol_edit = form_views(
    Patrol, gettext_lazy("Start a patrol"), "patrol", _patrol_form
)


@role_required()
def patrol_detail(request: HttpRequest, pk: int) -> HttpResponse:
    patrol = record_for_user(Patrol, request.user, pk)
    may_edit = may_edit_employer(request.user, patrol.employer)
    return render(
        request,
        "inspections/patrol_detail.html",
        {
            "patrol": patrol,
            "employer": patrol.employer,
            "checks": patrol.checks.all(),
            "inspectors": patrol.inspectors.all(),
            "cases": patrol.cases.all(),
            "evidence": patrol.evidence_files.select_related("uploaded_by"),
            "evidence_form": EvidenceForm() if may_edit else None,
            "evidence_url": "inspections:patrol_evidence",
            "may_edit": may_edit,
            "history": patrol.history.select_related("history_user")[:20],
        },
    )
