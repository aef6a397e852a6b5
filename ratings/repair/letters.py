"""The repair decision letter (信用修复决定书) as PDF (``core.documents.render_pdf``)."""

from django.conf import settings
from django.utils.translation import gettext as _

from core.documents import render_pdf
from inspections.models import Case

from .. import rules
from .models import Repair


def repair_decision_pdf(repair: Repair) -> bytes:
    """The decision on one repair application: the clause in words with its source, the
    cases behind it, the outcome with the reasons, and the remedies. Two queries."""
    cases = list(
        Case.objects.filter(pk__in=repair.case_ids)
        .order_by("decided_on", "pk")
        .values("number", "decided_on")
    )
    granted = repair.status == Repair.Status.GRANTED
    return render_pdf(
        "ratings/repair/repair_decision.html",
        {
            "title": _("Credit repair decision"),
            "bureau_name": settings.BUREAU_NAME,
            "document_number": repair.decision_number,
            "issued_on": repair.decided_on,
            "repair": repair,
            "employer": repair.employer,
            "clause_title": rules.CLAUSE_TITLES.get(repair.code, repair.code),
            "clause_source": rules.CLAUSE_SOURCES.get(repair.code, ""),
            "cases": cases,
            "granted": granted,
        },
    )
