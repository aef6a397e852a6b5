import pytest


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
