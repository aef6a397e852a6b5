"""factory_boy factories of the ground records: users and employers.

The tests build on them (``tests/factories.py`` re-exports them) and so does the demo district
(``employers/demo.py``), which passes its own believable values and builds unsaved rows for one
bulk insert. Defaults are the tests' plain ones; the tests rely on them.
"""

import itertools

import factory
from django.contrib.auth import get_user_model

from .credit_code import make_credit_code
from .models import Employer, Unit

_serial = itertools.count(1)


def next_credit_code() -> str:
    return make_credit_code(f"91120111{next(_serial):09d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-word-123")


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer
        skip_postgeneration_save = True

    credit_code = factory.LazyFunction(next_credit_code)
    name = factory.Sequence(lambda n: f"天津测试{n}有限公司")
    kind = Employer.Kind.ENTERPRISE
    unit = factory.LazyFunction(lambda: Unit.objects.get(code="120111002"))
    headcount = 20
