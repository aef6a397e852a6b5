import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from supervision import context_processors
from supervision.models import SchedulerHeartbeat
from supervision.services import scheduler_heartbeat_record


@pytest.fixture
def broker_up(monkeypatch):
    monkeypatch.setattr(context_processors, "broker_reachable", lambda url: True)


def beat_minutes_ago(minutes: int) -> None:
    scheduler_heartbeat_record()
    SchedulerHeartbeat.objects.update(beat_at=timezone.now() - datetime.timedelta(minutes=minutes))


@pytest.mark.django_db
@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_admin_sees_a_banner_when_beat_is_stale(client_admin, broker_up):
    beat_minutes_ago(20)
    response = client_admin.get("/employers/")
    html = response.content.decode()
    assert 'data-testid="scheduler-banner"' in html
    assert "20" in response.context["scheduler_problem"]


@pytest.mark.django_db
@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_no_banner_when_beat_is_fresh(client_admin, broker_up):
    beat_minutes_ago(3)
    html = client_admin.get("/employers/").content.decode()
    assert 'data-testid="scheduler-banner"' not in html


@pytest.mark.django_db
@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_banner_when_beat_never_reported(client_admin, broker_up):
    html = client_admin.get("/employers/").content.decode()
    assert 'data-testid="scheduler-banner"' in html


@pytest.mark.django_db
@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
@pytest.mark.parametrize("persona", ["client_lqz", "client_supervisor"])
def test_only_admins_see_the_banner(request, persona, broker_up):
    beat_minutes_ago(60)
    html = request.getfixturevalue(persona).get("/employers/").content.decode()
    assert 'data-testid="scheduler-banner"' not in html


@pytest.mark.django_db
@override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_banner_when_redis_cannot_be_reached(client_admin):
    context_processors._ping_cache.clear()
    beat_minutes_ago(1)
    response = client_admin.get("/employers/")
    assert "Redis" in response.context["scheduler_problem"]
    assert 'data-testid="scheduler-banner"' in response.content.decode()


@pytest.mark.django_db
def test_no_banner_in_eager_development_mode(client_admin):
    html = client_admin.get("/employers/").content.decode()
    assert 'data-testid="scheduler-banner"' not in html
