"""The inspection records, one module per kind: patrols, written reviews, cases, evidence."""

from .case_dates import (
    CASE_DATE_FIELDS,
    CASE_DATE_ORDER,
    CASE_FIRST_YEAR,
    CASE_LAST_YEAR,
    case_date_errors,
)
from .cases import (
    Case,
    CaseNumberCounter,
    CaseQuerySet,
    DecisionDocumentCounter,
    OrderDocumentCounter,
)
from .evidence import ALLOWED_EVIDENCE_EXTENSIONS, EvidenceFile, evidence_upload_to
from .patrols import Patrol, PatrolCheck
from .reviews import WrittenReview, WrittenReviewQuerySet

__all__ = [
    "ALLOWED_EVIDENCE_EXTENSIONS",
    "CASE_DATE_FIELDS",
    "CASE_DATE_ORDER",
    "CASE_FIRST_YEAR",
    "CASE_LAST_YEAR",
    "Case",
    "CaseNumberCounter",
    "CaseQuerySet",
    "DecisionDocumentCounter",
    "EvidenceFile",
    "OrderDocumentCounter",
    "Patrol",
    "PatrolCheck",
    "WrittenReview",
    "WrittenReviewQuerySet",
    "case_date_errors",
    "evidence_upload_to",
]
