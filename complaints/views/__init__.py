"""The complaint views, by page: the ledger, intake and the complaint page, the steps."""

from .ledger import complaint_export, complaint_list, complaint_summary, employer_search
from .pages import complaint_create, complaint_detail, complaint_edit, complaint_history
from .steps import (
    complaint_accept,
    complaint_answer,
    complaint_assign,
    complaint_close,
    complaint_link_employer,
    complaint_reject,
    complaint_supplement,
    complaint_supplemented,
    extension_decide,
    extension_request,
)

__all__ = [
    "complaint_accept",
    "complaint_answer",
    "complaint_assign",
    "complaint_close",
    "complaint_create",
    "complaint_detail",
    "complaint_edit",
    "complaint_export",
    "complaint_history",
    "complaint_link_employer",
    "complaint_list",
    "complaint_reject",
    "complaint_summary",
    "complaint_supplement",
    "complaint_supplemented",
    "employer_search",
    "extension_decide",
    "extension_request",
]
