"""Permission-scoped fetch helpers every complaint view starts from."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from core.roles import Role, roles_of

from ..filters import ComplaintFilter
from ..models import Complaint, ComplaintItem, DeadlineExtension
from ..selectors import complaints_for_list

PAGE_SIZE = 50


def may_record(user: AbstractBaseUser) -> bool:
    return bool(roles_of(user) & {Role.INSPECTOR, Role.ADMIN})


def get_complaint_for_user(user: AbstractBaseUser, pk: int) -> Complaint:
    """The complaint if this user may see it; 404 otherwise (others' complaints cannot even be
    probed)."""
    return get_object_or_404(
        Complaint.objects.visible_to(user)
        .select_related("employer", "unit", "case", "created_by")
        .prefetch_related(
            "inspectors",
            Prefetch("items", queryset=ComplaintItem.objects.order_by("id")),
            Prefetch(
                "extensions",
                queryset=DeadlineExtension.objects.select_related("requested_by", "decided_by"),
            ),
        ),
        pk=pk,
    )


def get_complaint_for_edit(user: AbstractBaseUser, pk: int) -> Complaint:
    complaint = get_complaint_for_user(user, pk)
    if not Complaint.objects.editable_by(user).filter(pk=complaint.pk).exists():
        raise PermissionDenied
    return complaint


def filtered_complaints(request: HttpRequest) -> ComplaintFilter:
    return ComplaintFilter(
        request.GET or None, queryset=complaints_for_list(request.user), user=request.user
    )
