"""The factories every app's tests share; they live in the apps (``employers/factories.py``,
``inspections/factories.py``), where the demo district builds on them too."""

from employers.factories import EmployerFactory, UserFactory, next_credit_code
from inspections.factories import CaseFactory, PatrolFactory

__all__ = ["CaseFactory", "EmployerFactory", "PatrolFactory", "UserFactory", "next_credit_code"]
