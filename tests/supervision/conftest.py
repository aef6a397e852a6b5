import pytest


@pytest.fixture(autouse=True)
def _fresh_cache(fresh_cache: None) -> None:
    """The dashboard caches the district's rating counts; each test counts its own data."""
