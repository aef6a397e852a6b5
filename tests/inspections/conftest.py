import pytest

from tests.factories import UserFactory


@pytest.fixture
def nobody(db):
    """A logged-in account with no role."""
    return UserFactory(username="nobody")


@pytest.fixture
def client_nobody(nobody):
    from django.test import Client

    client = Client()
    client.force_login(nobody, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def client_lqz2(inspector_lqz2):
    from django.test import Client

    client = Client()
    client.force_login(inspector_lqz2, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
