"""Spreadsheet exports of the planning lists (rows are employers annotated by
``planning.selectors.with_patrol_due``, and ``trained_on`` for the watchlist) and of a draw's
public results."""

import datetime
from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from core.exports import YES_NO, ExportColumn, SheetExport
from inspections.models import Patrol
from ratings.procedure.selectors import OBJECTION_OPEN_LABEL

from .selectors import date_key, due_on, last_patrol_on
from .tables import clause_items


class _DueExport(SheetExport):
    """Employers with their patrol dates; ``today`` fixes the overdue column. A list names the
    columns between the employer and its patrol dates, the overdue column's title and the
    columns after it."""

    between: Sequence[ExportColumn] = ()
    overdue_title = _("Overdue")
    after: Sequence[ExportColumn] = ()

    def __init__(self, *, today: datetime.date) -> None:
        self.today_key = date_key(today)
        self.columns = [
            ExportColumn(_("Area unit"), "unit.name"),
            ExportColumn(_("Unified social credit code"), "credit_code"),
            ExportColumn(_("Employer name"), "name"),
            *self.between,
            ExportColumn(_("Last patrol"), last_patrol_on),
            ExportColumn(_("Next patrol due"), due_on),
            ExportColumn(self.overdue_title, self.overdue, labels=YES_NO),
            *self.after,
        ]

    def overdue(self, row: object) -> bool:
        # No due date yet (the rating was written without one): not overdue.
        return row.due_key is not None and row.due_key < self.today_key


class WatchlistExport(_DueExport):
    filename = "watchlist"
    sheet_title = _("Watchlist")
    between = [
        ExportColumn(
            _("Clauses"),
            lambda e: "；".join(
                f"{code} {text}" for code, text in clause_items(e.rating.clause_codes)
            ),
        ),
        ExportColumn(_("C since"), "rating.since"),
    ]
    overdue_title = _("Patrol overdue")
    after = [
        ExportColumn(
            _("Trained since C on"), lambda e: e.trained_on if e.trained_on else _("Untrained")
        ),
        # 异议处理中 while an objection against the rating is open (ratings' one definition)
        ExportColumn(_("Objection"), lambda e: OBJECTION_OPEN_LABEL if e.objection_open else ""),
    ]


class PatrolsDueExport(_DueExport):
    filename = "patrols-due"
    sheet_title = _("Patrols due")
    between = [ExportColumn(_("Level"), "level")]


OUTCOMES = dict(Patrol.Outcome.choices)


class DrawResultsExport(SheetExport):
    """The public result list: no inspector names, nothing about complainants."""

    filename = "draw-results"
    sheet_title = _("Random inspection results")
    columns = [
        ExportColumn(_("Employer name"), "employer.name"),
        ExportColumn(_("Unified social credit code"), "employer.credit_code"),
        ExportColumn(_("Area unit"), "employer.unit.name"),
        ExportColumn(_("Inspection date"), "patrol_on"),
        ExportColumn(
            _("Inspection outcome"),
            lambda row: str(OUTCOMES.get(row.patrol_outcome, "")) if row.patrol_outcome else "",
        ),
    ]
