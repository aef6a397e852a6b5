"""Factories for the records the coverage checks and the digest read: 2025 defaults (the
checks look at past months), built on the lower apps' factories. ``tests/supervision/
factories.py`` re-exports them."""

import datetime

import factory
from django.utils import timezone

from employers.factories import EmployerFactory
from employers.models import Employer
from inspections import factories as inspection_factories
from inspections.models import WrittenReview
from ratings import factories as rating_factories
from ratings.models import Level


def local_datetime(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def employer_added_on(day: datetime.date, **kwargs: object) -> Employer:
    """An employer whose record was added on ``day`` (created_at is auto_now_add)."""
    employer = EmployerFactory(**kwargs)
    Employer.objects.filter(pk=employer.pk).update(created_at=local_datetime(day))
    employer.refresh_from_db()
    return employer


class RatingFactory(rating_factories.RatingFactory):
    """A C rating since the start of 2025, on clause C4 (no clause for A and B)."""

    level = Level.C
    clause_codes = factory.LazyAttribute(lambda r: "C4" if r.level == Level.C else "")
    since = datetime.date(2025, 1, 1)


class WrittenReviewFactory(inspection_factories.WrittenReviewFactory):
    """A 2025 review with no materials, not complete."""

    year = 2025
    received_on = datetime.date(2025, 3, 15)
    materials = factory.LazyFunction(list)
    complete = False


def returned_review(
    employer: Employer,
    *,
    returned_on: datetime.date,
    deadline: datetime.date,
    resubmitted_on: datetime.date | None = None,
) -> WrittenReview:
    status = WrittenReview.Status.RESUBMITTED if resubmitted_on else WrittenReview.Status.RETURNED
    return WrittenReviewFactory(
        employer=employer,
        status=status,
        returned_on=returned_on,
        returned_reason="材料不全",
        resubmit_deadline=deadline,
        resubmitted_on=resubmitted_on,
    )
