"""The coverage matrix of one month as .xlsx: one line per unit and check."""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.http import FileResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.exports import ExportColumn, SheetExport, xlsx_response

from .checks import CHECKS
from .models import CheckCode
from .months import format_month


@dataclass(frozen=True)
class CoverageLine:
    unit: Any
    code: str
    cell: Any  # the stored result, None when the check has not run for the unit

    def value(self, read: str) -> Any:
        return None if self.cell is None else getattr(self.cell, read)


def _result(line: CoverageLine) -> str:
    if line.cell is None:
        return gettext("not run")
    return gettext("pass") if line.cell.passed else gettext("fail")


def _number(read: str) -> Any:
    def value(line: CoverageLine) -> float | None:
        number = line.value(read)
        return None if number is None else float(number)

    return value


class CoverageExport(SheetExport):
    columns = [
        ExportColumn(_("Area unit code"), "unit.code"),
        ExportColumn(_("Area unit"), "unit.name"),
        ExportColumn(_("Check"), lambda line: str(CheckCode(line.code).label)),
        ExportColumn(_("Result"), _result),
        ExportColumn(_("Figure"), _number("figure")),
        ExportColumn(_("Threshold"), _number("threshold")),
        ExportColumn(_("Out of"), lambda line: line.value("total")),
        ExportColumn(_("Records behind a failure"), lambda line: line.value("subject_count")),
    ]

    def __init__(self, month: datetime.date) -> None:
        self.month = month

    def rows(self, matrix: Iterable[Any]) -> Iterator[list[Any]]:
        lines = (
            CoverageLine(row.unit, check.code, cell)
            for row in matrix
            for check, cell in zip(CHECKS, row.cells, strict=True)
        )
        return super().rows(lines)

    def response(
        self, matrix: Iterable[Any], *, stamp: datetime.date | None = None
    ) -> FileResponse:
        # Named after the month it reports, not the day it was made.
        label = format_month(self.month)
        return xlsx_response(
            filename=f"coverage-{label}.xlsx",
            header=self.header(),
            rows=self.rows(matrix),
            sheet_title=gettext("Coverage %(month)s") % {"month": label},
        )
