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


@pytest.fixture
def post_new_case(client_lqz, employer_lqz, inspector_lqz, inspector_lqz2):
    """Posts the new-case form for employer_lqz as inspector_lqz, naming both 李七庄 inspectors:
    ``case_form`` with the given overrides."""
    from .case_posts import CREATE, case_form

    def post(**overrides):
        url = f"{CREATE}?employer={employer_lqz.credit_code}"
        return client_lqz.post(url, case_form(inspector_lqz, inspector_lqz2, **overrides))

    return post
