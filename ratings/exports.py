"""Exports of the rating engine, each declared as its columns.

``RatingExport`` is the SPEC section 7 layout of ``manage.py export_ratings`` and
``YearlyEvaluationExport`` the city system's: machine interfaces whose headers are fixed
Chinese text, not translated."""

import datetime
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exports import ExportColumn, SheetExport, sql_safe_text
from employers.exports import IDENTITY_TITLES_ZH, identity_columns


def _level(case: object) -> str:
    return getattr(getattr(case.employer, "rating", None), "level", "")


class EarlyWarningExport(SheetExport):
    """Rows are ``selectors.early_warning_cases``; ``today`` gives the days left."""

    filename = "early-warning"
    sheet_title = _("Early warning")

    def __init__(self, *, today: datetime.date) -> None:
        self.columns = [
            ExportColumn(_("Deadline"), "due_on"),
            ExportColumn(_("Days left"), lambda case: (case.due_on - today).days),
            *identity_columns(),
            ExportColumn(_("Case number"), "number"),
            ExportColumn(_("Order to correct, deadline"), "order_due_on"),
            ExportColumn(_("Handling decision, deadline"), "decision_due_on"),
            ExportColumn(_("Current level"), _level),
        ]


# Both machine layouts of a rating begin so: the employer, its level and its clause codes.
_RATING_COLUMNS = [
    *identity_columns(IDENTITY_TITLES_ZH),
    ExportColumn("信用等级", "level"),
    ExportColumn("评级依据", "clause_codes"),
]


class YearlyEvaluationExport(SheetExport):
    """The city system's layout: credit code, name, unit, level, clauses."""

    filename = "yearly-evaluation"
    columns = _RATING_COLUMNS


def _computed_at(rating: object) -> str:
    return timezone.localtime(rating.computed_at).strftime("%Y-%m-%d %H:%M")


class RatingExport(SheetExport):
    """Current ratings, SPEC section 7: the columns and their order are a contract."""

    filename = "ratings"
    sheet_title = "信用等级"
    columns = [*_RATING_COLUMNS, ExportColumn("评级时间", _computed_at)]


def rating_export_sql(
    *, level: str | None = None, unit_code: str | None = None, neutralised: bool = True
) -> tuple[str, dict]:
    """PostgreSQL: the SELECT of ``RatingExport`` (the same columns in the same order, the time
    formatted as ``_computed_at`` does), the rows of ``selectors.ratings_for_export``. Its text
    is neutralised as ``safe_cell`` does (``sql_safe_text``, for ``core.exports.copy_csv``)
    unless ``neutralised`` is false (for a writer that neutralises itself)."""
    from django.conf import settings

    from employers.models import Employer, Unit

    from .models import Rating

    text = sql_safe_text if neutralised else str
    where, params = [], {"tz": settings.TIME_ZONE}
    if level:
        where.append("r.level = %(level)s")
        params["level"] = level
    if unit_code:
        where.append("u.code = %(unit)s")
        params["unit"] = unit_code
    sql = f"""
        SELECT {text("e.credit_code")}, {text("e.name")}, {text("u.name")},
               {text("r.level")}, {text("r.clause_codes")},
               to_char(r.computed_at AT TIME ZONE %(tz)s, 'YYYY-MM-DD HH24:MI')
        FROM {Rating._meta.db_table} r
        JOIN {Employer._meta.db_table} e ON e.id = r.employer_id
        JOIN {Unit._meta.db_table} u ON u.id = e.unit_id
        {"WHERE " + " AND ".join(where) if where else ""}
        ORDER BY u.code, e.credit_code
    """
    return sql, params


# RatingExport's columns as plain values: a million-row export builds no model instances.
RATING_EXPORT_FIELDS = (
    "employer__credit_code",
    "employer__name",
    "employer__unit__name",
    "level",
    "clause_codes",
    "computed_at",
)


def rating_export_rows(ratings: object) -> Iterator[tuple]:
    """The rows of ``RatingExport`` from ``selectors.ratings_for_export`` through values_list
    (the same cells, in the same order), streamed in chunks."""
    tz = timezone.get_current_timezone()
    for *cells, computed_at in ratings.values_list(*RATING_EXPORT_FIELDS).iterator(chunk_size=5000):
        yield (*cells, computed_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"))
