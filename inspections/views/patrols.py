"""Patrols: list, export, create (optionally opening a case), detail, edit."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.roles import role_required
from employers.models import Employer

from ..exports import PatrolExport
from ..filters import PatrolFilter
from ..forms import EvidenceForm, PatrolForm, add_validation_error
from ..models import Patrol
from ..services import patrol_save
from ..tables import PatrolTable
from .common import (
    employer_picked,
    list_page,
    may_edit_employer,
    require_editor,
)


def _get_patrol_for_user(user, pk: int, *, edit: bool = False) -> Patrol:
    if edit:
        require_editor(user)
    patrols = Patrol.objects.editable_by(user) if edit else Patrol.objects.visible_to(user)
    return get_object_or_404(patrols.select_related("employer__unit", "created_by"), pk=pk)


def _filtered(request: HttpRequest) -> PatrolFilter:
    queryset = (
        Patrol.objects.visible_to(request.user)
        .select_related("employer__unit")
        .prefetch_related("inspectors")
    )
    return PatrolFilter(request.GET or None, queryset=queryset, user=request.user)


@role_required()
def patrol_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, _filtered(request), PatrolTable, "inspections/patrol_list.html")


@role_required()
def patrol_export(request: HttpRequest) -> HttpResponse:
    patrols = _filtered(request).qs.prefetch_related("checks")
    return PatrolExport().response(patrols.order_by("-patrolled_on", "-id"))


def patrol_create(request: HttpRequest) -> HttpResponse:
    employer = employer_picked(request, title=_("Start a patrol"), target="patrol")
    if isinstance(employer, HttpResponse):
        return employer
    return _patrol_form(request, employer, Patrol(employer=employer))


@role_required()
def patrol_edit(request: HttpRequest, pk: int) -> HttpResponse:
    patrol = _get_patrol_for_user(request.user, pk, edit=True)
    return _patrol_form(request, patrol.employer, patrol)


def _patrol_form(request: HttpRequest, employer: Employer, patrol: Patrol) -> HttpResponse:
    is_new = patrol.pk is None
    form = PatrolForm(request.POST or None, instance=patrol, employer=employer, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            patrol, case = patrol_save(
                patrol=form.instance,
                inspectors=form.cleaned_data["inspectors"],
                checks=form.checks(),
                user=request.user,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            if case is not None:
                messages.success(
                    request,
                    _("Patrol saved and case %(number)s opened: add its measures.")
                    % {"number": case.number},
                )
                return redirect("inspections:case_edit", pk=case.pk)
            messages.success(request, _("Patrol saved."))
            return redirect(patrol)
    return render(
        request,
        "inspections/patrol_form.html",
        {"form": form, "employer": employer, "patrol": patrol, "is_new": is_new},
    )


@role_required()
def patrol_detail(request: HttpRequest, pk: int) -> HttpResponse:
    patrol = _get_patrol_for_user(request.user, pk)
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
