"""双随机、一公开: the draws, making one, its results and their public export."""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.roles import Role, role_required, sees_whole_district

from ..draw_forms import DrawForm
from ..draws import (
    DrawError,
    draw_create,
    draw_mark_published,
    draw_results,
    draws_visible_to,
)
from ..exports import OUTCOMES, DrawResultsExport
from ..models import Draw


def _get_draw_for_user(request: HttpRequest, pk: int) -> Draw:
    return get_object_or_404(draws_visible_to(request.user), pk=pk)


@role_required()
def draw_list(request: HttpRequest) -> HttpResponse:
    draws = (
        draws_visible_to(request.user)
        .annotate(drawn=Count("inspections", distinct=True))
        .prefetch_related("units")[:100]
    )
    return render(
        request,
        "planning/draw_list.html",
        {
            "draws": draws,
            "today": timezone.localdate(),
            "may_draw": sees_whole_district(request.user),
        },
    )


@role_required(Role.SUPERVISOR, Role.ADMIN, message=gettext_lazy("Only supervisors make draws."))
def draw_new(request: HttpRequest) -> HttpResponse:
    form = DrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        inspectors = form.cleaned_data["inspectors"]
        try:
            result = draw_create(
                units=list(form.cleaned_data["units"]),
                seed=form.chosen_seed,
                shares=form.shares,
                inspector_ids=[u.pk for u in inspectors] if inspectors else None,
                user=request.user,
            )
        except DrawError:
            form.add_error(None, _("The chosen area units have no active employer."))
        else:
            messages.success(
                request,
                _("Draw made: %(employers)s employers, seed %(seed)s.")
                % {"employers": len(result.rows), "seed": result.seed},
            )
            return redirect("planning:draw_detail", pk=result.draw.pk)
    return render(request, "planning/draw_form.html", {"form": form})


@role_required()
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draw = _get_draw_for_user(request, pk)
    rows = list(draw_results(draw))
    for row in rows:
        row.outcome_label = OUTCOMES.get(row.patrol_outcome, "")
    today = timezone.localdate()
    return render(
        request,
        "planning/draw_detail.html",
        {
            "draw": draw,
            "rows": rows,
            "publish_overdue": draw.published_on is None and today > draw.publish_by,
            "may_publish": sees_whole_district(request.user),
        },
    )


@role_required(Role.SUPERVISOR, Role.ADMIN, message=gettext_lazy("Only supervisors publish."))
def draw_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The public results (.xlsx); the first download marks the draw published."""
    draw = _get_draw_for_user(request, pk)
    draw_mark_published(draw=draw)
    return DrawResultsExport().response(draw_results(draw), stamp=draw.drawn_on)
