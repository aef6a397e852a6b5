"""Factories of the engine's tests, from ``ratings/factories.py``."""

from ratings.factories import RatingFactory

__all__ = ["RatingFactory"]
