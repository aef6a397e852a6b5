"""The bureau's calendar day held still: services read it through timezone.localdate()."""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest


@contextmanager
def today_is(day: datetime.date) -> Iterator[mock.MagicMock]:
    with mock.patch("django.utils.timezone.localdate", return_value=day) as frozen:
        yield frozen


def frozen_today(day: datetime.date):
    """A ``today`` fixture for a test module: the calendar day is ``day`` while a test runs."""

    @pytest.fixture
    def today() -> Iterator[mock.MagicMock]:
        with today_is(day) as frozen:
            yield frozen

    return today
