"""Case facts for the pure rules (ratings.rules), built for their table tests."""

import datetime
import itertools

from ratings.rules import CaseFacts

D = datetime.date
_ids = itertools.count(1)


def case(**fields) -> CaseFacts:
    """A case opened on 2026-01-05 unless ``fields`` say otherwise, with an id and a number."""
    n = next(_ids)
    fields.setdefault("opened_on", D(2026, 1, 5))
    return CaseFacts(id=fields.pop("id", n), number=f"西青人社监〔2026〕{n:03d}号", **fields)


def _decided(decided: datetime.date, **fields) -> CaseFacts:
    fields.setdefault("opened_on", decided)
    return case(decided_on=decided, **fields)


def order(decided: datetime.date, deadline=None, rectified=None, **kw) -> CaseFacts:
    """An order to rectify by ``deadline``, rectified on ``rectified``."""
    return _decided(
        decided, order_issued=True, order_deadline=deadline, order_rectified_on=rectified, **kw
    )


def decision(decided: datetime.date, deadline=None, fulfilled=None, **kw) -> CaseFacts:
    """An administrative decision to carry out by ``deadline``, fulfilled on ``fulfilled``."""
    return _decided(
        decided,
        decision_issued=True,
        decision_deadline=deadline,
        decision_fulfilled_on=fulfilled,
        **kw,
    )


def penalty(decided: datetime.date, **kw) -> CaseFacts:
    return _decided(decided, penalty_issued=True, **kw)
