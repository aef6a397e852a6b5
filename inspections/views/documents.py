"""Downloads of the documents made from a case: the order to correct and the handling
decision letter. GET gives the document (a draft without number until issued); POST issues
its number (the case's unit inspectors and admins) and gives the numbered document."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from core.documents import pdf_response
from core.roles import role_required

from ..documents import Kind, case_document_number_assign, case_document_pdf, case_has_document
from ..models import Case
from .common import may_edit_employer


def _document(request: HttpRequest, pk: int, kind: Kind) -> HttpResponse:
    case = get_object_or_404(
        Case.objects.visible_to(request.user).select_related("employer"), pk=pk
    )
    if not case_has_document(case, kind):
        raise Http404
    if request.method == "POST":
        if not may_edit_employer(request.user, case.employer):
            raise PermissionDenied
        case_document_number_assign(case=case, kind=kind)
    return pdf_response(case_document_pdf(case, kind), f"{kind}-{case.pk}.pdf")


@role_required()
def case_order_document(request: HttpRequest, pk: int) -> HttpResponse:
    """《劳动保障监察限期改正指令书》 of the case's order to correct."""
    return _document(request, pk, "order")


@role_required()
def case_decision_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The handling decision letter of the case."""
    return _document(request, pk, "decision")
