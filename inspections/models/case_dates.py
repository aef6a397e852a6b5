"""The dates of an enforcement case that can be true, as rules written once.

``Case.clean()`` applies them (so the case form, the services and the ledger import all get
errors naming the field); the ordering rules are also database constraints on the case table,
since the row alone decides them. "Not in the future" depends on the day, so it is checked in
``clean()`` only. Deadlines may of course lie ahead.
"""

import datetime
from collections.abc import Mapping

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.dates import local_today

# Dates of a case must lie in these years (the ledger import reads 1900-2100 too).
CASE_FIRST_YEAR, CASE_LAST_YEAR = 1900, 2100
CASE_DATE_FIELDS = (
    "opened_on",
    "decided_on",
    "order_deadline",
    "order_rectified_on",
    "decision_deadline",
    "decision_fulfilled_on",
    "fine_due_on",
    "fine_paid_on",
    "closed_on",
)

CASE_DATES_NOT_IN_FUTURE = (
    "opened_on",
    "decided_on",
    "order_rectified_on",
    "decision_fulfilled_on",
    "fine_paid_on",
    "closed_on",
)
# (date, the date it may not precede, message, constraint name)
CASE_DATE_ORDER = (
    (
        "decided_on",
        "opened_on",
        _("The decision date cannot be before the case was opened."),
        "case_decided_after_opened",
    ),
    (
        "order_deadline",
        "opened_on",
        _("The correction deadline cannot be before the case was opened."),
        "case_order_deadline_after_opened",
    ),
    (
        "decision_deadline",
        "opened_on",
        _("The performance deadline cannot be before the case was opened."),
        "case_decision_deadline_after_opened",
    ),
    (
        "order_rectified_on",
        "opened_on",
        _("The rectification date cannot be before the case was opened."),
        "case_rectified_after_opened",
    ),
    (
        "decision_fulfilled_on",
        "opened_on",
        _("The fulfilment date cannot be before the case was opened."),
        "case_fulfilled_after_opened",
    ),
    (
        "closed_on",
        "opened_on",
        _("A case cannot close before it was opened."),
        "case_closed_after_opened",
    ),
    (
        "order_deadline",
        "decided_on",
        _("The correction deadline cannot be before the decision date."),
        "case_order_deadline_after_decision",
    ),
    (
        "decision_deadline",
        "decided_on",
        _("The performance deadline cannot be before the decision date."),
        "case_decision_deadline_after_decision",
    ),
    (
        "order_rectified_on",
        "decided_on",
        _("The rectification date cannot be before the decision date."),
        "case_rectified_after_decision",
    ),
    (
        "decision_fulfilled_on",
        "decided_on",
        _("The fulfilment date cannot be before the decision date."),
        "case_fulfilled_after_decision",
    ),
    (
        "fine_due_on",
        "decided_on",
        _("The fine's due date cannot be before the decision date."),
        "case_fine_due_after_decision",
    ),
    (
        "fine_paid_on",
        "decided_on",
        _("The fine's payment date cannot be before the decision date."),
        "case_fine_paid_after_decision",
    ),
)
CASE_DATE_ORDER_CONSTRAINTS = frozenset(name for *_rest, name in CASE_DATE_ORDER)


def case_date_order_q(later: str, earlier: str) -> Q:
    """The row condition "``later`` is empty or not before ``earlier``"."""
    condition = Q(**{f"{later}__isnull": True})
    if earlier != "opened_on":  # the only date every case has
        condition |= Q(**{f"{earlier}__isnull": True})
    return condition | Q(**{f"{later}__gte": F(earlier)})


def date_order_constraints() -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=case_date_order_q(later, earlier),
            name=name,
            violation_error_message=message,
        )
        for later, earlier, message, name in CASE_DATE_ORDER
    ]


def case_date_errors(
    dates: Mapping[str, datetime.date | None], *, today: datetime.date | None = None
) -> dict[str, str]:
    """What is impossible about a case's dates, one message per field (the first found):
    a year outside 1900-2100, a date in the future (after today in Asia/Shanghai), a date
    before the one it must follow. ``dates`` maps field names to dates; missing names count
    as empty. The case form, ``Case.clean`` and the case-ledger import all ask here."""
    today = today or local_today()
    errors: dict[str, str] = {}
    for name in CASE_DATE_FIELDS:
        value = dates.get(name)
        if value is not None and not CASE_FIRST_YEAR <= value.year <= CASE_LAST_YEAR:
            errors[name] = _(
                "The date %(value)s is not plausible: the year must be between %(first)d "
                "and %(last)d."
            ) % {"value": value.isoformat(), "first": CASE_FIRST_YEAR, "last": CASE_LAST_YEAR}
    for name in CASE_DATES_NOT_IN_FUTURE:
        value = dates.get(name)
        if name not in errors and value is not None and value > today:
            errors[name] = _("The date %(value)s is in the future (today is %(today)s).") % {
                "value": value.isoformat(),
                "today": today.isoformat(),
            }
    for later, earlier, message, _name in CASE_DATE_ORDER:
        value, before = dates.get(later), dates.get(earlier)
        if later not in errors and value is not None and before is not None and value < before:
            errors[later] = str(message)
    return errors
