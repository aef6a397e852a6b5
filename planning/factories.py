"""factory_boy factories of the planning records: training sessions and who attended them.
The tests build on them (``tests/planning/factories.py``) and so does the demo
(``planning/demo.py``)."""

import datetime

import factory

from employers.factories import EmployerFactory

from .models import TrainingAttendance, TrainingSession


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
