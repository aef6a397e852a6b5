"""Factories of the planning tests, from ``planning/factories.py`` (ratings: ``ratings/factories.py``)."""

from planning.factories import TrainingAttendanceFactory, TrainingSessionFactory
from ratings.factories import RatingFactory

__all__ = ["RatingFactory", "TrainingAttendanceFactory", "TrainingSessionFactory"]
