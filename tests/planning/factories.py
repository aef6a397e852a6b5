"""Factories of the planning tests: training records (ratings: ``tests.ratings.factories``)."""

import datetime

import factory

from planning.models import TrainingAttendance, TrainingSession
from tests.factories import EmployerFactory
from tests.ratings.factories import RatingFactory

__all__ = ["RatingFactory", "TrainingAttendanceFactory", "TrainingSessionFactory"]


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession
        skip_postgeneration_save = True

    held_on = datetime.date(2026, 10, 15)
    topic = "劳动保障法律法规培训"
    organiser = "西青区人社局劳动保障监察支队"


class TrainingAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingAttendance
        skip_postgeneration_save = True

    session = factory.SubFactory(TrainingSessionFactory)
    employer = factory.SubFactory(EmployerFactory)
    person_name = "王伟"
    role = TrainingAttendance.Role.PRINCIPAL
    attended = True
