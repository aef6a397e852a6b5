"""Complaints of the complaints tests, from ``complaints/factories.py``."""

from complaints.factories import COMPLAINANT, ComplaintFactory, accept, register

__all__ = ["COMPLAINANT", "ComplaintFactory", "accept", "register"]
