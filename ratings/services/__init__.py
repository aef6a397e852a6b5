"""Writes of the rating engine: ``rerate`` (current ratings and their history), ``yearly``
(the yearly evaluation), ``bulk`` (the database-specific fast paths both use)."""

from .rerate import (
    CHUNK_SIZE,
    RerateSummary,
    clauses_json,
    employer_rerate,
    employers_rerate_bulk,
    ratings_rerate_due,
)
from .yearly import (
    YearlySummary,
    yearly_evaluate,
    yearly_evaluation_check_year,
    yearly_evaluation_set_notified,
    yearly_evaluations_mark_notified,
)

__all__ = [
    "CHUNK_SIZE",
    "RerateSummary",
    "YearlySummary",
    "clauses_json",
    "employer_rerate",
    "employers_rerate_bulk",
    "ratings_rerate_due",
    "yearly_evaluate",
    "yearly_evaluation_check_year",
    "yearly_evaluation_set_notified",
    "yearly_evaluations_mark_notified",
]
