"""A database at the old layout (planning and partner models in the ratings app) migrates in
place: the moved models keep their tables, so every row is still there through the new apps.

The test walks the real migrations: it takes a fresh test database back to the last migration
of the old layout (ratings 0004, no planning or partners app), writes rows with the historical
models of that state, migrates forward to the latest and reads them through today's models."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from partners.models import PartnerAccess, PartnerKey
from planning.models import PatrolInterval, TrainingAttendance, TrainingSession
from ratings.models import RatingHistory, YearlyEvaluation
from tests.factories import EmployerFactory, UserFactory

OLD_LAYOUT = [
    ("ratings", "0004_history_yearly_evaluation"),
    ("planning", None),
    ("partners", None),
]
MOVED = {
    "planning": [
        "patrolinterval",
        "historicalpatrolinterval",
        "trainingsession",
        "historicaltrainingsession",
        "trainingattendance",
        "historicaltrainingattendance",
    ],
    "partners": ["partnerkey", "historicalpartnerkey", "partneraccess"],
}
AT = datetime.datetime(2026, 10, 15, 9, 30, tzinfo=datetime.UTC)


def _migrate(targets: list[tuple[str, str | None]] | None = None):
    """Migrate to ``targets`` (default: the latest of every app); the state reached."""
    executor = MigrationExecutor(connection)
    if targets is None:
        targets = executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(list(executor.loader.applied_migrations))


def _seed_old_layout(apps, employer_id: int, user_id: int) -> dict:
    """Rows of every moved model (and their history) written as the old ratings app had them."""

    def model(name: str):
        return apps.get_model("ratings", name)

    interval = model("PatrolInterval").objects.get(level="C")
    interval.months = 4
    interval.save()
    model("HistoricalPatrolInterval").objects.create(
        id=interval.id,
        level="C",
        months=4,
        history_date=AT,
        history_type="~",
        history_user_id=user_id,
    )
    session = model("TrainingSession").objects.create(
        held_on=datetime.date(2026, 10, 15),
        topic="劳动保障法律法规培训",
        organiser="监察支队",
        created_by_id=user_id,
    )
    model("HistoricalTrainingSession").objects.create(
        id=session.id,
        held_on=session.held_on,
        topic=session.topic,
        organiser=session.organiser,
        created_at=AT,
        created_by_id=user_id,
        history_date=AT,
        history_type="+",
        history_user_id=user_id,
    )
    attendance = model("TrainingAttendance").objects.create(
        session=session, employer_id=employer_id, person_name="王伟", role="principal"
    )
    model("HistoricalTrainingAttendance").objects.create(
        id=attendance.id,
        session_id=session.id,
        employer_id=employer_id,
        person_name="王伟",
        role="principal",
        attended=True,
        history_date=AT,
        history_type="+",
        history_user_id=user_id,
    )
    plain, prefix, hashed = PartnerKey.objects.key_generator.generate()
    key = model("PartnerKey").objects.create(
        id=f"{prefix}.{hashed}",
        prefix=prefix,
        hashed_key=hashed,
        name="市场监管",
        partner="西青区市场监督管理局",
    )
    model("HistoricalPartnerKey").objects.create(
        id=key.id,
        prefix=prefix,
        hashed_key=hashed,
        created=AT,
        name=key.name,
        partner=key.partner,
        revoked=False,
        history_date=AT,
        history_type="+",
        history_user_id=user_id,
    )
    model("PartnerAccess").objects.create(
        key=key, path="/api/v1/ratings/", query="level=C", status_code=200, rows=3
    )
    model("RatingHistory").objects.create(
        employer_id=employer_id,
        level="B",
        clause_codes="",
        ruleset_version="test",
        computed_at=AT,
        cause="time",
    )
    model("YearlyEvaluation").objects.create(
        employer_id=employer_id,
        year=2025,
        level="B",
        ruleset_version="test",
        evaluated_at=AT,
    )
    return {"session": session.id, "attendance": attendance.id, "plain_key": plain}


@pytest.mark.django_db(transaction=True)
def test_old_layout_migrates_in_place_with_its_rows(unit_lqz):
    employer = EmployerFactory(unit=unit_lqz)
    user = UserFactory(username="recorder")
    reader = Group.objects.create(name="planning readers")
    try:
        old = _migrate(OLD_LAYOUT)
        assert not any(app in old.real_apps for app in MOVED)
        assert ("ratings", "trainingsession") in old.models
        # In the old layout the content types of the moved models were the ratings app's; a
        # group holds a permission on one of them.
        for app, models in MOVED.items():
            ContentType.objects.filter(app_label=app, model__in=models).update(app_label="ratings")
        ContentType.objects.clear_cache()
        view_session = Permission.objects.get(
            content_type__app_label="ratings", codename="view_trainingsession"
        )
        reader.permissions.add(view_session)
        seeded = _seed_old_layout(old.apps, employer.pk, user.pk)
    finally:
        _migrate()
    ContentType.objects.clear_cache()

    assert PatrolInterval.objects.get(level="C").months == 4
    assert PatrolInterval.history.filter(level="C", months=4, history_user=user).exists()
    session = TrainingSession.objects.get(pk=seeded["session"])
    assert (session.topic, session.created_by) == ("劳动保障法律法规培训", user)
    assert session.history.get().history_type == "+"
    attendance = TrainingAttendance.objects.get(pk=seeded["attendance"])
    assert (attendance.session, attendance.employer) == (session, employer)
    assert attendance.history.get().person_name == "王伟"
    key = PartnerKey.objects.get_from_key(seeded["plain_key"])
    assert key.partner == "西青区市场监督管理局"
    assert key.history.get().history_user == user
    access = PartnerAccess.objects.get()
    assert (access.key, access.rows, access.query) == (key, 3, "level=C")
    assert RatingHistory.objects.filter(employer=employer, cause="time").count() == 1
    assert YearlyEvaluation.objects.get(employer=employer, year=2025).level == "B"
    # The content types moved with their models: the permission granted stays granted.
    for app, models in MOVED.items():
        assert set(
            ContentType.objects.filter(app_label=app, model__in=models).values_list(
                "model", flat=True
            )
        ) == set(models)
    assert not ContentType.objects.filter(app_label="ratings", model__in=MOVED["planning"])
    assert reader.permissions.get().content_type.app_label == "planning"
