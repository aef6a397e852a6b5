"""The demo training seeder: believable and idempotent."""

import datetime
import random

import pytest

from planning.demo import seed_training
from planning.models import TrainingAttendance, TrainingSession
from tests.factories import EmployerFactory

from .factories import RatingFactory


@pytest.mark.django_db
def test_seed_training_trains_some_c_employers_once(unit_lqz):
    for _n in range(20):
        RatingFactory(employer=EmployerFactory(unit=unit_lqz), since=datetime.date(2026, 1, 1))
    RatingFactory(employer=EmployerFactory(unit=unit_lqz), level="A", clause_codes="")
    line = seed_training(random.Random(1))
    assert line.startswith("training: 2 sessions")
    trained = set(TrainingAttendance.objects.values_list("employer__rating__level", flat=True))
    assert trained == {"C"}
    assert 0 < TrainingAttendance.objects.values("employer").distinct().count() < 20
    # a second run adds nothing
    seed_training(random.Random(1))
    assert TrainingSession.objects.count() == 2
