"""Factories of the inspections tests, from ``inspections/factories.py``."""

from inspections.factories import (
    CaseFactory,
    PatrolCheckFactory,
    PatrolFactory,
    WrittenReviewFactory,
)

__all__ = ["CaseFactory", "PatrolCheckFactory", "PatrolFactory", "WrittenReviewFactory"]
