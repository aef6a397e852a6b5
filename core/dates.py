"""Date arithmetic every floor shares: one definition of "a month later" and of "today"."""

import datetime
import functools

from dateutil.relativedelta import relativedelta
from django.utils import timezone


@functools.lru_cache(maxsize=8192)  # a full rerate asks for the same few hundred days
def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (or earlier), clamped to the end of a shorter month:
    31 January + 1 month is 28 (or 29) February."""
    return day + relativedelta(months=months)


def local_today() -> datetime.date:
    """Today in the bureau's time zone (Asia/Shanghai), not the server's."""
    return timezone.localdate()
