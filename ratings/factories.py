"""factory_boy factories of the engine's records: a rating written directly, as the engine
would store it (tests that do not run the engine; ``tests/ratings/factories.py``)."""

import datetime

import factory
from django.utils import timezone

from employers.factories import EmployerFactory

from .models import Rating


class RatingFactory(factory.django.DjangoModelFactory):
    """A rating row as the engine would store it."""

    class Meta:
        model = Rating
        skip_postgeneration_save = True

    employer = factory.SubFactory(EmployerFactory)
    level = "C"
    clause_codes = "C2"
    clauses = factory.LazyAttribute(
        lambda o: [{"code": c, "case_ids": []} for c in o.clause_codes.split(";") if c]
    )
    ruleset_version = "test"
    since = datetime.date(2026, 9, 1)
    computed_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # The engine may already have rated the employer (A on creation, after commit in
        # transactional tests): overwrite that row, one rating per employer.
        employer = kwargs.pop("employer")
        rating, _created = model_class.objects.update_or_create(employer=employer, defaults=kwargs)
        return rating
