import pytest


@pytest.fixture(autouse=True)
def _fresh_throttle_cache(fresh_cache: None) -> None:
    """DRF keeps each key's throttle history in the cache: every test starts with none."""
