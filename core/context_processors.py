"""Template context of the ground floor: the working-calendar reminder for administrators."""

from django.http import HttpRequest

from core import dates, workdays
from core.roles import is_admin

# From this day of the year on, administrators are reminded to enter next year's schedule (the
# State Council usually publishes it in November).
REMINDER_MONTH, REMINDER_DAY = 12, 1


def calendar_banner(request: HttpRequest) -> dict:
    """``calendar_admin`` for the menu link; ``calendar_missing_year`` when next year is still
    estimated on or after 1 December. No query for non-administrators; for administrators the
    calendar's cached table (a query at most once a minute)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not is_admin(user):
        return {}
    today = dates.local_today()
    missing = None
    if (today.month, today.day) >= (REMINDER_MONTH, REMINDER_DAY):
        next_year = today.year + 1
        if workdays.year_source(next_year) == workdays.SOURCE_ESTIMATE:
            missing = next_year
    return {"calendar_admin": True, "calendar_missing_year": missing}
