"""Writes of the complaints app: intake, the acceptance decision, the investigation clock and
its extension, closing, and the log of who saw a complainant's identity.

Every status change goes through here so the statutory deadlines (``due_on``) are always
recomputed the same way (``_clocks_refresh``). Views and commands call these; they hold the rules.
"""

from .clocks import _clocks_refresh, complaint_deadlines_refresh, investigation_base_due
from .common import (
    COMPLAINT_NUMBER_FORMAT,
    _check_assignees,
    _complaint_number_next,
    _not_future,
    _require_status,
    _save,
    _set_history_user,
    identity_access_log,
    inspectors_of_unit,
    today,
)
from .decisions import (
    complaint_accept,
    complaint_reject,
    complaint_request_supplement,
    complaint_supplemented,
)
from .intake import complaint_assign, complaint_link_employer, complaint_register, complaint_update
from .investigation import (
    complaint_close,
    complaint_record_answer,
    extension_decide,
    extension_request,
)

__all__ = [
    "COMPLAINT_NUMBER_FORMAT",
    "_check_assignees",
    "_clocks_refresh",
    "_complaint_number_next",
    "_not_future",
    "_require_status",
    "_save",
    "_set_history_user",
    "complaint_accept",
    "complaint_assign",
    "complaint_close",
    "complaint_deadlines_refresh",
    "complaint_link_employer",
    "complaint_record_answer",
    "complaint_register",
    "complaint_reject",
    "complaint_request_supplement",
    "complaint_supplemented",
    "complaint_update",
    "extension_decide",
    "extension_request",
    "identity_access_log",
    "inspectors_of_unit",
    "investigation_base_due",
    "today",
]
