"""factory_boy factories of the inspection records: patrols and their checklist, written
reviews, enforcement cases. The tests build on them (``tests/factories.py``,
``tests/inspections/factories.py``) and so does the demo district (``inspections/demo.py``)."""

import datetime

import factory

from employers.factories import EmployerFactory

from .items import Item
from .models import Case, Patrol, PatrolCheck, WrittenReview


class PatrolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patrol
        skip_postgeneration_save = True

    employer = factory.SubFactory(EmployerFactory)
    patrolled_on = datetime.date(2026, 10, 1)


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


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"西青人社监〔2026〕{n:03d}号")
    employer = factory.SubFactory(EmployerFactory)
    source = Case.Source.PATROL
    opened_on = datetime.date(2026, 3, 1)
