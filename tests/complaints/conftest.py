import pytest

from .factories import accept, register


@pytest.fixture
def complaint_lqz(inspector_lqz, employer_lqz):
    """A complaint against a 李七庄 employer, recorded by (and assigned to) inspector_lqz only."""
    return register(user=inspector_lqz, employer=employer_lqz)


@pytest.fixture
def accepted_lqz(complaint_lqz, inspector_lqz, inspector_lqz2):
    """complaint_lqz accepted on 2026-02-11 with a case handled by inspector_lqz and a colleague;
    the colleague becomes assigned too."""
    return accept(complaint_lqz, user=inspector_lqz, inspectors=[inspector_lqz, inspector_lqz2])


@pytest.fixture
def inspector_lqz3(db):
    """A third inspector of 李七庄 who is never assigned: sees the complaint, never the identity."""
    from core.roles import Role
    from tests.conftest import LQZ, make_user

    return make_user("insp_lqz3", Role.INSPECTOR, (LQZ,))


@pytest.fixture
def client_lqz3(inspector_lqz3):
    from tests.conftest import _client_for

    return _client_for(inspector_lqz3)
