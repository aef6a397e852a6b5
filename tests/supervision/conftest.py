import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The dashboard caches the district's rating counts; each test counts its own data."""
    cache.clear()
    yield
    cache.clear()
