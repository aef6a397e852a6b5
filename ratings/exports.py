"""Exports of the rating engine, each declared as its columns.

``RatingExport`` is the SPEC section 7 layout of ``manage.py export_ratings`` and
``YearlyEvaluationExport`` the city system's: machine interfaces whose headers are fixed
Chinese text, not translated."""

import datetime
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exports import ExportColumn, SheetExport


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
            ExportColumn(_("Unified social credit code"), "employer.credit_code"),
            ExportColumn(_("Employer"), "employer.name"),
            ExportColumn(_("Area unit"), "employer.unit.name"),
            ExportColumn(_("Case number"), "number"),
            ExportColumn(_("Order to correct, deadline"), "order_due_on"),
            ExportColumn(_("Handling decision, deadline"), "decision_due_on"),
            ExportColumn(_("Current level"), _level),
        ]


class YearlyEvaluationExport(SheetExport):
    """The city system's layout: credit code, name, unit, level, clauses."""

    filename = "yearly-evaluation"
    columns = [
        ExportColumn("统一社会信用代码", "employer.credit_code"),
        ExportColumn("单位名称", "employer.name"),
        ExportColumn("所属街镇", "employer.unit.name"),
        ExportColumn("信用等级", "level"),
        ExportColumn("评级依据", "clause_codes"),
    ]


def _computed_at(rating: object) -> str:
    return timezone.localtime(rating.computed_at).strftime("%Y-%m-%d %H:%M")


class RatingExport(SheetExport):
    """Current ratings, SPEC section 7: the columns and their order are a contract."""

    filename = "ratings"
    sheet_title = "信用等级"
    columns = [
        ExportColumn("统一社会信用代码", "employer.credit_code"),
        ExportColumn("单位名称", "employer.name"),
        ExportColumn("所属街镇", "employer.unit.name"),
        ExportColumn("信用等级", "level"),
        ExportColumn("评级依据", "clause_codes"),
        ExportColumn("评级时间", _computed_at),
    ]


def rating_export_copy_sql(
    *, level: str | None = None, unit_code: str | None = None
) -> tuple[str, dict]:
    """PostgreSQL: the SELECT of ``RatingExport`` (same columns, order and neutralised text)
    for ``core.exports.copy_csv``; the rows of ``selectors.ratings_for_export``."""
    from django.conf import settings

    from core.exports import sql_safe_text
    from employers.models import Employer, Unit

    from .models import Rating

    where, params = [], {"tz": settings.TIME_ZONE}
    if level:
        where.append("r.level = %(level)s")
        params["level"] = level
    if unit_code:
        where.append("u.code = %(unit)s")
        params["unit"] = unit_code
    sql = f"""
        SELECT {sql_safe_text("e.credit_code")}, {sql_safe_text("e.name")},
               {sql_safe_text("u.name")}, {sql_safe_text("r.level")},
               {sql_safe_text("r.clause_codes")},
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
