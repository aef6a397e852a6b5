"""Demo training records: about half of the demo district's C employers trained, built by
``planning/factories.py`` (the factories the tests use)."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from ratings.models import Level, Rating

from .factories import TrainingAttendanceFactory, TrainingSessionFactory
from .models import TrainingAttendance, TrainingSession

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


DEMO_TOPICS = [
    ("劳动保障法律法规专题培训", "西青区人力资源和社会保障局劳动保障监察支队"),
    ("工资支付与欠薪治理培训", "西青区人力资源和社会保障局"),
]


@transaction.atomic
def seed_training(rng: random.Random) -> str:
    """Two sessions with attendees from about half of the C employers.

    Runs after the ratings seeder; adds nothing once any training session exists."""
    if TrainingSession.objects.exists():
        return f"training: {TrainingSession.objects.count()} sessions already present"
    today = timezone.localdate()
    c_ratings = list(
        Rating.objects.filter(level=Level.C)
        .select_related("employer")
        .only("since", "employer__id", "employer__name")
        .order_by("employer_id")
    )
    sessions = [
        TrainingSessionFactory(
            held_on=today - datetime.timedelta(days=days), topic=topic, organiser=organiser
        )
        for days, (topic, organiser) in zip((40, 10), DEMO_TOPICS, strict=True)
    ]
    attendances = []
    for rating in c_ratings:
        if rng.random() < 0.5:
            continue
        # The latest session held on or after the day the employer became C, if any.
        eligible = [s for s in sessions if s.held_on >= rating.since] or sessions[-1:]
        session = eligible[0]
        for role in (TrainingAttendance.Role.PRINCIPAL, TrainingAttendance.Role.RESPONSIBLE):
            person = _person(rng)
            # A principal now and then missed the session; the person responsible always came.
            principal = role == TrainingAttendance.Role.PRINCIPAL
            attended = rng.random() < 0.9 if principal else True
            attendances.append(
                TrainingAttendanceFactory.build(
                    session=session,
                    employer=rating.employer,
                    person_name=person,
                    role=role,
                    attended=attended,
                )
            )
    TrainingAttendance.objects.bulk_create(attendances, batch_size=1000)
    return f"training: {len(sessions)} sessions, {len(attendances)} attendees"
