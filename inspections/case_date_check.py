"""Finding existing cases whose dates break the rules of inspections.models.case_dates.

Used by ``manage.py check_case_dates`` and by the migration that adds the date constraints
(with that migration's historical model), so both name the same cases."""

import datetime

from django.db import models

from .models.case_dates import CASE_DATE_FIELDS, CASE_DATE_ORDER, case_date_errors

_LAST_DAY = datetime.date.max  # no date is in the future of this


def offending_cases(
    case_model: type[models.Model] | None = None, *, order_only: bool = False
) -> list[tuple[str, list[str]]]:
    """(case number, problems) for every case with a date in the future or out of order.

    ``order_only``: only the rules the database constraints enforce (a date before the one
    it follows); those rows are found in SQL. Otherwise every case is read, a few columns at a
    time, since "in the future" depends on today."""
    if case_model is None:
        from .models import Case as case_model
    rows = case_model.objects.all()
    order_fields = {later for later, *_rest in CASE_DATE_ORDER}
    if order_only:
        out_of_order = models.Q()
        for later, earlier, *_rest in CASE_DATE_ORDER:
            out_of_order |= models.Q(**{f"{later}__lt": models.F(earlier)})
        rows = rows.filter(out_of_order)
    found = []
    values = rows.values_list("number", *CASE_DATE_FIELDS).order_by("number")
    for number, *dates in values.iterator(chunk_size=2000):
        dated = dict(zip(CASE_DATE_FIELDS, dates, strict=True))
        if order_only:
            # Only the ordering: leave out the other rules by checking with no "today" limit.
            errors = {
                name: message
                for name, message in case_date_errors(dated, today=_LAST_DAY).items()
                if name in order_fields and dated[name] is not None
            }
        else:
            errors = case_date_errors(dated)
        if errors:
            found.append((number, [f"{name}: {message}" for name, message in errors.items()]))
    return found
