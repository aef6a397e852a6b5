"""Written reviews: list, overdue per unit, export, create, detail, edit and the status flow."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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
    add_validation_error,
)
from ..items import Item
from ..models import WrittenReview
from ..tables import ReviewTable
from .common import (
    employer_picked,
    list_page,
    may_edit_employer,
    require_editor,
)


def _get_review_for_user(user, pk: int, *, edit: bool = False) -> WrittenReview:
    if edit:
        require_editor(user)
    reviews = (
        WrittenReview.objects.editable_by(user) if edit else WrittenReview.objects.visible_to(user)
    )
    return get_object_or_404(reviews.select_related("employer__unit", "created_by"), pk=pk)


def _filtered(request: HttpRequest) -> ReviewFilter:
    queryset = WrittenReview.objects.visible_to(request.user).select_related("employer__unit")
    return ReviewFilter(request.GET or None, queryset=queryset, user=request.user)


@role_required()
def review_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, _filtered(request), ReviewTable, "inspections/review_list.html")


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


@role_required()
def review_export(request: HttpRequest) -> HttpResponse:
    reviews = _filtered(request).qs.order_by("-year", "employer__unit__code", "employer__name")
    return WrittenReviewExport().response(reviews)


def review_create(request: HttpRequest) -> HttpResponse:
    employer = employer_picked(request, title=_("Record a written review"), target="review")
    if isinstance(employer, HttpResponse):
        return employer
    return _review_form(request, employer, WrittenReview(employer=employer))


@role_required()
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = _get_review_for_user(request.user, pk, edit=True)
    return _review_form(request, review.employer, review)


def _review_form(request: HttpRequest, employer: Employer, review: WrittenReview) -> HttpResponse:
    form = ReviewForm(request.POST or None, instance=review, employer=employer)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_save(review=form.instance, user=request.user)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Written review saved."))
            return redirect(review)
    return render(
        request,
        "inspections/review_form.html",
        {"form": form, "employer": employer, "review": review},
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
    review = _get_review_for_user(request.user, pk)
    return render(request, "inspections/review_detail.html", _detail_context(request, review))


def _render_detail_with(request: HttpRequest, review: WrittenReview, **forms) -> HttpResponse:
    """Re-show the detail page with the failed form and its errors. The review is read again:
    a service that failed may have changed the object in memory before rolling back."""
    review = _get_review_for_user(request.user, review.pk)
    context = {**_detail_context(request, review), **forms}
    return render(request, "inspections/review_detail.html", context, status=400)


@require_POST
@role_required()
def review_return(request: HttpRequest, pk: int) -> HttpResponse:
    review = _get_review_for_user(request.user, pk, edit=True)
    form = ReviewReturnForm(request.POST)
    if form.is_valid():
        try:
            services.review_return(
                review=review,
                reason=form.cleaned_data["returned_reason"],
                deadline=form.cleaned_data["resubmit_deadline"],
                returned_on=form.cleaned_data["returned_on"],
                user=request.user,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Review returned for resubmission."))
            return redirect(review)
    return _render_detail_with(request, review, return_form=form)


@require_POST
@role_required()
def review_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    review = _get_review_for_user(request.user, pk, edit=True)
    form = ReviewResubmitForm(request.POST)
    if form.is_valid():
        try:
            services.review_resubmit(
                review=review, resubmitted_on=form.cleaned_data["resubmitted_on"], user=request.user
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Resubmission recorded."))
            return redirect(review)
    return _render_detail_with(request, review, resubmit_form=form)


@require_POST
@role_required()
def review_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    review = _get_review_for_user(request.user, pk, edit=True)
    form = ReviewConcludeForm(request.POST, employer=review.employer, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["result"] == WrittenReview.Status.PASSED:
                services.review_pass(
                    review=review,
                    concluded_on=data["concluded_on"],
                    conclusion=data["conclusion"],
                    user=request.user,
                )
                messages.success(request, _("Review passed."))
                return redirect(review)
            review, case = services.review_find_problems(
                review=review,
                concluded_on=data["concluded_on"],
                conclusion=data["conclusion"],
                violation_items=data["violation_items"],
                inspectors=data["inspectors"] or [],
                user=request.user,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Problems recorded and case %(number)s opened: add its measures.")
                % {"number": case.number},
            )
            return redirect("inspections:case_edit", pk=case.pk)
    return _render_detail_with(request, review, conclude_form=form)
