"""Written reviews: list, overdue per unit, export, create, detail, edit and the status flow."""

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.pages import form_saved
from core.roles import role_required, sees_whole_district
from employers.models import Employer, Unit

from .. import services
from ..exports import WrittenReviewExport
from ..filters import ReviewFilter
from ..forms import (
    EvidenceForm,
    ReviewConcludeForm,
    ReviewForm,
    ReviewResubmitForm,
    ReviewReturnForm,
)
from ..items import Item
from ..models import WrittenReview
from ..tables import ReviewTable
from .common import (
    form_saved_or_case_opened,
    form_views,
    list_views,
    may_edit_employer,
    record_for_user,
)


def _review(user, pk: int, *, edit: bool = False) -> WrittenReview:
    return record_for_user(WrittenReview, user, pk, edit=edit)


@role_required()
def review_overdue(request: HttpRequest) -> HttpResponse:
    """Returned-and-overdue reviews counted per unit (one grouped query), with links into the
    filtered list."""
    today = timezone.localdate()
    units = Unit.objects.all()
    if not sees_whole_district(request.user):
        units = units.filter(inspectors=request.user)
    returned = Q(employers__written_reviews__status=WrittenReview.Status.RETURNED)
    units = units.annotate(
        returned=Count("employers__written_reviews", filter=returned),
        overdue=Count(
            "employers__written_reviews",
            filter=returned & Q(employers__written_reviews__resubmit_deadline__lt=today),
        ),
    ).order_by("code")
    return render(request, "inspections/review_overdue.html", {"units": units, "today": today})


def _review_form(request: HttpRequest, employer: Employer, review: WrittenReview) -> HttpResponse:
    form = ReviewForm(request.POST or None, instance=review, employer=employer)
    saved = form_saved(
        request,
        form,
        lambda _data: services.review_save(review=form.instance, user=request.user),
        _("Written review saved."),
    )
    return saved or render(
        request,
        "inspections/review_form.html",
        {"form": form, "employer": employer, "review": review},
    )


review_list, review_export = list_views(
    "inspections/review_list.html",
    ReviewFilter,
    ReviewTable,
    WrittenReviewExport,
    ("-year", "employer__unit__code", "employer__name"),
)
review_create, review_edit = form_views(
    WrittenReview, gettext_lazy("Record a written review"), "review", _review_form
)


def _detail_context(request: HttpRequest, review: WrittenReview) -> dict:
    may_edit = may_edit_employer(request.user, review.employer)
    next_statuses = services.review_next_statuses(review) if may_edit else set()
    status = WrittenReview.Status
    return {
        "review": review,
        "employer": review.employer,
        "overdue": review.is_overdue(timezone.localdate()),
        "may_edit": may_edit,
        "items": [(label, code in review.materials) for code, label in Item.choices],
        "return_form": ReviewReturnForm() if status.RETURNED in next_statuses else None,
        "resubmit_form": ReviewResubmitForm() if status.RESUBMITTED in next_statuses else None,
        "conclude_form": ReviewConcludeForm(employer=review.employer, user=request.user)
        if status.PASSED in next_statuses
        else None,
        "cases": review.cases.all(),
        "evidence": review.evidence_files.select_related("uploaded_by"),
        "evidence_form": EvidenceForm() if may_edit else None,
        "evidence_url": "inspections:review_evidence",
        "history": review.history.select_related("history_user")[:20],
    }


@role_required()
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request.user, pk)
    return render(request, "inspections/review_detail.html", _detail_context(request, review))


def _render_detail_with(request: HttpRequest, review: WrittenReview, **forms) -> HttpResponse:
    """Re-show the detail page with the failed form and its errors. The review is read again:
    a service that failed may have changed the object in memory before rolling back."""
    review = _review(request.user, review.pk)
    context = {**_detail_context(request, review), **forms}
    return render(request, "inspections/review_detail.html", context, status=400)


@require_POST
@role_required()
def review_return(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request.user, pk, edit=True)
    form = ReviewReturnForm(request.POST)
    returned = form_saved(
        request,
        form,
        lambda data: services.review_return(
            review=review,
            reason=data["returned_reason"],
            deadline=data["resubmit_deadline"],
            returned_on=data["returned_on"],
            user=request.user,
        ),
        _("Review returned for resubmission."),
    )
    return returned or _render_detail_with(request, review, return_form=form)


@require_POST
@role_required()
def review_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request.user, pk, edit=True)
    form = ReviewResubmitForm(request.POST)
    resubmitted = form_saved(
        request,
        form,
        lambda data: services.review_resubmit(
            review=review, resubmitted_on=data["resubmitted_on"], user=request.user
        ),
        _("Resubmission recorded."),
    )
    return resubmitted or _render_detail_with(request, review, resubmit_form=form)


@require_POST
@role_required()
def review_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request.user, pk, edit=True)
    form = ReviewConcludeForm(request.POST, employer=review.employer, user=request.user)

    def conclude(data: dict) -> tuple:
        if data["result"] == WrittenReview.Status.PASSED:
            passed = services.review_pass(
                review=review,
                concluded_on=data["concluded_on"],
                conclusion=data["conclusion"],
                user=request.user,
            )
            return passed, None
        return services.review_find_problems(
            review=review,
            concluded_on=data["concluded_on"],
            conclusion=data["conclusion"],
            violation_items=data["violation_items"],
            inspectors=data["inspectors"] or [],
            user=request.user,
        )

    concluded = form_saved_or_case_opened(
        request,
        form,
        conclude,
        _("Review passed."),
        _("Problems recorded and case %(number)s opened: add its measures."),
    )
    return concluded or _render_detail_with(request, review, conclude_form=form)
