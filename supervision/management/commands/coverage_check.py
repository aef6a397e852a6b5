from django.core.management.base import BaseCommand, CommandError, CommandParser

from supervision.checks import CHECKS
from supervision.models import CoverageRun
from supervision.months import MonthError, format_month, parse_month, previous_month
from supervision.presentation import figure_text
from supervision.selectors import month_matrix
from supervision.services import coverage_run_create, coverage_run_execute


class Command(BaseCommand):
    help = (
        "Run the monthly coverage checks of every area unit for one month (the same code the "
        "monthly task runs), replace that month's results and print the matrix."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--month", metavar="YYYY-MM", help="default: the previous calendar month"
        )

    def handle(self, *args, month: str | None, **options) -> None:
        try:
            first_day = parse_month(month) if month else previous_month()
        except MonthError as exc:
            raise CommandError(str(exc)) from exc
        run = coverage_run_create(month=first_day, source=CoverageRun.Source.COMMAND)
        try:
            coverage_run_execute(run_id=run.pk)
        except Exception as exc:
            raise CommandError(
                f"coverage {format_month(first_day)} failed: {type(exc).__name__}: {exc}"
            ) from exc
        rows = month_matrix(month=first_day)
        codes = [check.code for check in CHECKS]
        header = ["unit", *codes]
        table = [header]
        passed = total = 0
        for row in rows:
            cells = [f"{row.unit.code} {row.unit.name}"]
            for cell in row.cells:
                if cell is None:
                    cells.append("-")
                    continue
                verdict = "PASS" if cell.passed else "FAIL"
                cells.append(f"{verdict} {figure_text(cell)}")
                passed += cell.passed
                total += 1
            table.append(cells)
        widths = [max(_width(r[i]) for r in table) for i in range(len(header))]
        for r in table:
            self.stdout.write(
                "  ".join(
                    cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(r)
                ).rstrip()
            )
        self.stdout.write(
            f"coverage {format_month(first_day)}: {len(rows)} units, {passed}/{total} checks passed"
        )


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
