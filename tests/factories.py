"""factory_boy factories shared by every app's tests."""

import datetime
import itertools

import factory
from django.contrib.auth import get_user_model

from employers.credit_code import make_credit_code
from employers.models import Employer, Unit
from inspections.models import Case, Patrol

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


class PatrolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patrol
        skip_postgeneration_save = True

    employer = factory.SubFactory(EmployerFactory)
    patrolled_on = datetime.date(2026, 10, 1)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"西青人社监〔2026〕{n:03d}号")
    employer = factory.SubFactory(EmployerFactory)
    source = Case.Source.PATROL
    opened_on = datetime.date(2026, 3, 1)
