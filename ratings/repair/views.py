"""Pages of credit repair (applications, decisions, the decision letter) and of the rule sets
(the district's switches, the replay diff)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.documents import DocumentError, pdf_response
from core.pages import action_done, form_saved
from core.roles import Role, is_admin, is_supervisor, role_required
from employers.models import Employer

from .. import rules
from ..models import Rating
from . import services
from .facts import ruleset_active
from .forms import RepairApplyForm, RepairDecideForm, ReplayForm, RuleSetSwitchForm
from .letters import repair_decision_pdf
from .models import Repair, RuleSetSwitch
from .replay import TRANSITIONS, ratings_replay

PAGE_SIZE = 30


def _repair_for_user(request: HttpRequest, pk: int) -> Repair:
    return get_object_or_404(
        Repair.objects.visible_to(request.user).select_related("employer", "decided_by"), pk=pk
    )


def _repairable_codes(employer: Employer) -> list[str]:
    rating = Rating.objects.filter(employer=employer).first()
    codes = [c["code"] for c in (rating.clauses if rating else [])]
    return [code for code in codes if code in rules.REPAIRABLE_CODES]


@role_required()
def repair_list(request: HttpRequest) -> HttpResponse:
    """Applications, pending first, newest first; inspectors see their units'."""
    repairs = (
        Repair.objects.visible_to(request.user)
        .select_related("employer")
        .order_by("-status", "-applied_on", "-id")
    )
    status = request.GET.get("status")
    if status in Repair.Status.values:
        repairs = repairs.filter(status=status)
    page = Paginator(repairs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "ratings/repair/repair_list.html",
        {"page": page, "statuses": Repair.Status.choices, "status": status},
    )


@role_required()
def repair_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an employer's application to repair one clause of its current rating."""
    employer = get_object_or_404(Employer.objects.visible_to(request.user), pk=pk)
    codes = _repairable_codes(employer)
    form = RepairApplyForm(
        request.POST or None, codes=codes, initial={"applied_on": timezone.localdate()}
    )
    applied = form_saved(
        request,
        form,
        lambda data: services.repair_apply(employer=employer, created_by=request.user, **data),
        _("The application is recorded."),
        then=lambda repair: reverse("ratings:repair_detail", kwargs={"pk": repair.pk}),
    )
    return applied or render(
        request,
        "ratings/repair/repair_form.html",
        {"employer": employer, "form": form, "codes": codes},
    )


@role_required()
def repair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    repair = _repair_for_user(request, pk)
    today = timezone.localdate()
    missing = (
        services.repair_missing_preconditions(repair, today=today) if repair.is_pending else []
    )
    return render(
        request,
        "ratings/repair/repair_detail.html",
        {
            "repair": repair,
            "clause_title": rules.CLAUSE_TITLES.get(repair.code, repair.code),
            "missing": missing,
            "form": RepairDecideForm()
            if repair.is_pending and is_supervisor(request.user)
            else None,
        },
    )


@require_POST
@role_required(Role.SUPERVISOR, message=_("Only a supervisor decides on a credit repair."))
def repair_decide(request: HttpRequest, pk: int) -> HttpResponse:
    repair = _repair_for_user(request, pk)
    action_done(
        request,
        RepairDecideForm(request.POST),
        lambda data: services.repair_decide(
            repair=repair,
            grant=data["decision"] == "grant",
            reasons=data["reasons"],
            decided_by=request.user,
        ),
        lambda decided: _("Decision %(number)s recorded.") % {"number": decided.decision_number},
        invalid=_("Choose grant or refuse."),
    )
    return redirect("ratings:repair_detail", pk=repair.pk)


@role_required()
def repair_letter(request: HttpRequest, pk: int) -> HttpResponse:
    repair = _repair_for_user(request, pk)
    if repair.is_pending:
        raise PermissionDenied(_("The application is not decided yet."))
    try:
        content = repair_decision_pdf(repair)
    except DocumentError:
        raise PermissionDenied(_("The letter could not be made.")) from None
    return pdf_response(content, f"repair-{repair.employer.credit_code}-{repair.pk}.pdf")


# --- rule sets --------------------------------------------------------------------------


@role_required(Role.SUPERVISOR, Role.ADMIN)
def ruleset_page(request: HttpRequest) -> HttpResponse:
    """The rule set in force, the switches (who, when, from when) and, for admins, the form
    to switch."""
    today = timezone.localdate()
    return render(
        request,
        "ratings/repair/rulesets.html",
        {
            "active": ruleset_active(today=today),
            "rulesets": list(rules.RULE_SETS.values()),
            "switches": RuleSetSwitch.objects.select_related("switched_by")[:50],
            "form": RuleSetSwitchForm(initial={"effective_on": today})
            if is_admin(request.user)
            else None,
            "replay_form": ReplayForm(),
        },
    )


@require_POST
@role_required(Role.ADMIN, message=_("Only an admin switches the district's rule set."))
def ruleset_switch_view(request: HttpRequest) -> HttpResponse:
    action_done(
        request,
        RuleSetSwitchForm(request.POST),
        lambda data: services.ruleset_switch(switched_by=request.user, **data),
        lambda switch: (
            _("Rule set %(id)s in force from %(day)s.")
            % {"id": switch.ruleset_id, "day": switch.effective_on.isoformat()}
        ),
    )
    return redirect("ratings:rulesets")


@role_required(Role.SUPERVISOR, Role.ADMIN)
def replay_page(request: HttpRequest) -> HttpResponse:
    """The replay diff of a rule set (the same as ``rerate --all --rules X --dry-run``):
    counts by change and the employers that would change, paginated. Nothing is written."""
    form = ReplayForm(request.GET or None)
    summary = page = None
    if form.is_valid():
        summary = ratings_replay(ruleset_id=form.cleaned_data["rules"])
        page = Paginator(summary.changes, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = summary.transitions if summary else {}
    return render(
        request,
        "ratings/repair/replay.html",
        {
            "form": form,
            "summary": summary,
            "page": page,
            "transitions": [(name, counts.get(name, 0)) for name in TRANSITIONS],
        },
    )
