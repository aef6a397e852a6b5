"""The inspection records, one module per kind: patrols, written reviews, cases, evidence."""

from .cases import (
    CASE_DATE_FIELDS,
    CASE_FIRST_YEAR,
    CASE_LAST_YEAR,
    Case,
    CaseNumberCounter,
    CaseQuerySet,
)
from .evidence import ALLOWED_EVIDENCE_EXTENSIONS, EvidenceFile, evidence_upload_to
from .patrols import Patrol, PatrolCheck, ScopedQuerySet
from .reviews import WrittenReview, WrittenReviewQuerySet

__all__ = [
    "ALLOWED_EVIDENCE_EXTENSIONS",
    "CASE_DATE_FIELDS",
    "CASE_FIRST_YEAR",
    "CASE_LAST_YEAR",
    "Case",
    "CaseNumberCounter",
    "CaseQuerySet",
    "EvidenceFile",
    "Patrol",
    "PatrolCheck",
    "ScopedQuerySet",
    "WrittenReview",
    "WrittenReviewQuerySet",
    "evidence_upload_to",
]
