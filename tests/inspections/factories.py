"""Factories for inspection records, on top of the shared ones in tests/factories.py."""

import datetime

import factory

from inspections.items import Item
from inspections.models import PatrolCheck, WrittenReview
from tests.factories import CaseFactory, EmployerFactory, PatrolFactory

__all__ = ["CaseFactory", "PatrolCheckFactory", "PatrolFactory", "WrittenReviewFactory"]


class PatrolCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatrolCheck
        skip_postgeneration_save = True

    patrol = factory.SubFactory(PatrolFactory)
    item = Item.CONTRACTS
    result = PatrolCheck.Result.COMPLIANT


class WrittenReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WrittenReview
        skip_postgeneration_save = True

    employer = factory.SubFactory(EmployerFactory)
    year = 2026
    received_on = datetime.date(2026, 3, 15)
    materials = factory.LazyFunction(lambda: [Item.CONTRACTS, Item.WAGES])
    complete = True
