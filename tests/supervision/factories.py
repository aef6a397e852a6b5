"""Factories for the records the coverage checks and the digest read."""

import datetime
import itertools

import factory
from django.utils import timezone

from complaints.models import Complaint
from employers.models import Employer, Unit
from inspections.models import WrittenReview
from ratings.models import Level, Rating
from tests.factories import EmployerFactory
from tests.inspections import factories as inspection_factories

_complaint_serial = itertools.count(1)


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


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating
        skip_postgeneration_save = True

    employer = factory.SubFactory(EmployerFactory)
    level = Level.C
    clause_codes = factory.LazyAttribute(lambda r: "C4" if r.level == Level.C else "")
    ruleset_version = "test"
    since = datetime.date(2025, 1, 1)
    computed_at = factory.LazyFunction(timezone.now)


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


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A complaint with its clocks set directly (the complaints services compute them from
    the working-day calendar; the checks only read the stored dates)."""

    class Meta:
        model = Complaint
        skip_postgeneration_save = True

    number = factory.LazyFunction(lambda: f"西青投〔2025〕{next(_complaint_serial):04d}号")
    channel = Complaint.Channel.PHONE
    received_on = datetime.date(2025, 10, 1)
    complainant_name = "王某某"
    complainant_phone = "13812345678"
    employer = factory.SubFactory(EmployerFactory)
    unit = factory.LazyAttribute(
        lambda c: c.employer.unit if c.employer else Unit.objects.get(code="120111002")
    )
    status = Complaint.Status.RECEIVED
    acceptance_due_on = datetime.date(2025, 10, 10)
    due_on = factory.LazyAttribute(lambda c: c.acceptance_due_on)
