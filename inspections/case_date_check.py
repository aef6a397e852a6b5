"""Finding existing cases whose dates break the rules of inspections.models.case_dates, for
``manage.py check_case_dates``."""

from .models import Case
from .models.case_dates import CASE_DATE_FIELDS, case_date_errors


def offending_cases() -> list[tuple[str, list[str]]]:
    """(case number, problems) for every case with a date in the future or out of order.
    "In the future" depends on today, so every case is read, a few columns at a time."""
    rows = Case.objects.values_list("number", *CASE_DATE_FIELDS).order_by("number")
    found = []
    for number, *dates in rows.iterator(chunk_size=2000):
        errors = case_date_errors(dict(zip(CASE_DATE_FIELDS, dates, strict=True)))
        if errors:
            found.append((number, [f"{name}: {message}" for name, message in errors.items()]))
    return found
