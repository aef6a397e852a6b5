"""Documents made from a case: the order to correct within a time limit
(《劳动保障监察限期改正指令书》) and the handling decision letter (行政处理决定书), as PDF from
templates extending ``core/documents/letter.html``.

Each is numbered from its own yearly counter; the number is stored on the case the first time
the document is issued, so a reprint carries the same number.
"""

import datetime
from typing import Literal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.documents import render_pdf
from core.numbers import letter_number_next

from .models import Case, DecisionDocumentCounter, OrderDocumentCounter

Kind = Literal["order", "decision"]

# kind -> (the measure it needs, the number field, the counter, the prefix setting, template)
_KINDS = {
    "order": (
        "order_issued",
        "order_document_number",
        OrderDocumentCounter,
        "ORDER_NUMBER_PREFIX",
        "inspections/documents/order.html",
    ),
    "decision": (
        "decision_issued",
        "decision_document_number",
        DecisionDocumentCounter,
        "DECISION_NUMBER_PREFIX",
        "inspections/documents/decision.html",
    ),
}


def case_has_document(case: Case, kind: Kind) -> bool:
    """The case carries the measure the document records."""
    return bool(getattr(case, _KINDS[kind][0]))


def case_document_number(case: Case, kind: Kind) -> str:
    """The number the document bears: the stored one; for a decision letter the handling
    decision number typed on the case when no document was issued yet."""
    number = getattr(case, _KINDS[kind][1])
    if not number and kind == "decision":
        return case.decision_number
    return number


def case_document_number_assign(
    *, case: Case, kind: Kind, today: datetime.date | None = None
) -> str:
    """Give the document its number the first time it is issued (yearly counter, locked) and
    store it on the case; later calls return the stored number. The row is updated directly:
    a document number is not evidence, so the rating is not rerun for it."""
    _measure, field, counter, prefix_setting, _template = _KINDS[kind]
    existing = case_document_number(case, kind)
    if existing:
        return existing
    year = (case.decided_on or today or timezone.localdate()).year
    prefix = getattr(settings, prefix_setting)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        number = getattr(locked, field)
        if not number:
            number = letter_number_next(
                counter, prefix=prefix, year=year, letters=Case.objects.all(), field=field
            )
            Case.objects.filter(pk=case.pk).update(**{field: number})
    setattr(case, field, number)
    return number


def case_document_pdf(case: Case, kind: Kind, *, today: datetime.date | None = None) -> bytes:
    """The PDF of the order to correct or of the handling decision letter (a draft without a
    number until one is assigned)."""
    today = today or timezone.localdate()
    template = _KINDS[kind][4]
    title = (
        _("Order to correct within a time limit")
        if kind == "order"
        else _("Administrative handling decision")
    )
    return render_pdf(
        template,
        {
            "title": title,
            "bureau_name": settings.BUREAU_NAME,
            "document_number": case_document_number(case, kind),
            "issued_on": case.decided_on or today,
            "case": case,
            "employer": case.employer,
            "items": case.violation_item_labels,
        },
    )
