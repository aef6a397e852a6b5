"""Cases that the ratings read, built for the tests: an order to rectify, a penalty."""

import datetime

from inspections.models import Case
from tests.factories import CaseFactory


def order_case(
    employer,
    *,
    opened: datetime.date,
    decided: datetime.date,
    deadline: datetime.date,
    rectified: datetime.date | None = None,
    **fields,
) -> Case:
    """A case that ordered the employer to rectify by ``deadline``; ``rectified`` when it did."""
    order = {"order_issued": True, "order_deadline": deadline, "order_rectified_on": rectified}
    return _case(employer, opened, decided, **order, **fields)


def penalty_case(
    employer, *, decided: datetime.date | None, opened: datetime.date | None = None, **fields
) -> Case:
    """A case that fined the employer, decided on ``decided`` (None: not yet) and opened on
    ``opened`` (by default the day of the decision)."""
    return _case(employer, opened or decided, decided, penalty_issued=True, **fields)


def _case(employer, opened: datetime.date, decided: datetime.date | None, **fields) -> Case:
    return CaseFactory(employer=employer, opened_on=opened, decided_on=decided, **fields)
