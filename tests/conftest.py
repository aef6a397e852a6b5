"""Personas every test can ask for by name.

inspector_lqz    inspector of 李七庄街道 (120111002)
inspector_ylq    inspector of 杨柳青镇 (120111101)
supervisor       whole district, read-only plus supervisor actions
admin_user       manages users, units and imports
and logged-in clients for each: client_lqz, client_ylq, client_supervisor, client_admin; a
second inspector of 李七庄 (inspector_lqz2, client_lqz2) and an account without a role (nobody,
client_nobody).
"""

import os
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, settings

from core.roles import Role, role_group
from employers.models import Unit

from .factories import EmployerFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Property tests check what holds, not how fast: on a machine shared with other work a single
# example can take longer than hypothesis' default 200 ms deadline, which would fail a true test.
settings.register_profile("project", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("project")

LQZ = "120111002"
YLQ = "120111101"


@pytest.fixture(autouse=True)
def _reference_data(request) -> None:
    """Units, role groups and patrol intervals come from data migrations; a transactional test
    (browser journeys, worker tests) flushes them at its end, so put them back for the next."""
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if not uses_db:
        return
    request.getfixturevalue("_django_db_helper")
    # Cached totals (district count, dashboard rating counts) must not leak between tests.
    cache.clear()
    if "live_server" in request.fixturenames or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    from employers.units import XIQING_UNITS

    if Unit.objects.count() < len(XIQING_UNITS):
        for code, name, kind in XIQING_UNITS:
            Unit.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
        for role in Role.values:
            role_group(role)
        from planning.models import DEFAULT_INTERVAL_MONTHS, PatrolInterval

        for level, months in DEFAULT_INTERVAL_MONTHS.items():
            PatrolInterval.objects.get_or_create(level=level, defaults={"months": months})


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    """An empty cache before the test and after it: no throttle history, no cached counts."""
    cache.clear()
    yield
    cache.clear()


def make_user(username: str, role: str, unit_codes: tuple[str, ...] = ()) -> object:
    user = UserFactory(username=username, first_name=username)
    user.groups.add(role_group(role))
    if unit_codes:
        user.units.set(Unit.objects.filter(code__in=unit_codes))
    return user


@pytest.fixture
def unit_lqz(db) -> Unit:
    return Unit.objects.get(code=LQZ)


@pytest.fixture
def unit_ylq(db) -> Unit:
    return Unit.objects.get(code=YLQ)


@pytest.fixture
def inspector_lqz(db):
    return make_user("insp_lqz", Role.INSPECTOR, (LQZ,))


@pytest.fixture
def inspector_lqz2(db):
    return make_user("insp_lqz2", Role.INSPECTOR, (LQZ,))


@pytest.fixture
def inspector_ylq(db):
    return make_user("insp_ylq", Role.INSPECTOR, (YLQ,))


@pytest.fixture
def supervisor(db):
    return make_user("supervisor1", Role.SUPERVISOR)


@pytest.fixture
def admin_user(db):
    return make_user("admin1", Role.ADMIN)


@pytest.fixture
def nobody(db):
    """A logged-in account with no role."""
    return UserFactory(username="nobody")


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _logged_in(name: str, persona: str):
    """The fixture ``name``: a test client logged in as the user of the fixture ``persona``."""

    @pytest.fixture(name=name)
    def client_of_persona(request) -> Client:
        return _client_for(request.getfixturevalue(persona))

    return client_of_persona


client_lqz = _logged_in("client_lqz", "inspector_lqz")
client_lqz2 = _logged_in("client_lqz2", "inspector_lqz2")
client_ylq = _logged_in("client_ylq", "inspector_ylq")
client_supervisor = _logged_in("client_supervisor", "supervisor")
client_admin = _logged_in("client_admin", "admin_user")
client_nobody = _logged_in("client_nobody", "nobody")


@pytest.fixture
def employer_lqz(unit_lqz):
    return EmployerFactory(unit=unit_lqz, name="天津李七庄测试机械有限公司")


@pytest.fixture
def employer_ylq(unit_ylq):
    return EmployerFactory(unit=unit_ylq, name="天津杨柳青测试食品有限公司")


@pytest.fixture
def fixture_path():
    from pathlib import Path

    return Path(__file__).parent / "fixtures"
