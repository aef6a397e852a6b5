"""manage.py export_ratings PATH.(xlsx|csv) [--level L] [--unit CODE]"""

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.exports import copy_csv, copy_csv_available, safe_cell, sql_rows, write_xlsx
from employers.models import Unit
from ratings.exports import RatingExport, rating_export_rows, rating_export_sql
from ratings.models import Level
from ratings.selectors import ratings_for_export


class Command(BaseCommand):
    help = (
        "Export the current ratings (SPEC section 7 columns) to .xlsx or .csv (UTF-8 with BOM), "
        "streamed; optionally only one level and/or one unit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="output file ending in .xlsx or .csv")
        parser.add_argument("--level", choices=Level.values, help="A, B or C")
        parser.add_argument("--unit", metavar="CODE", help="unit code, e.g. 120111002")

    def handle(self, *args: object, **options: object) -> None:
        path = Path(str(options["path"]))
        suffix = path.suffix.lower()
        if suffix not in {".xlsx", ".csv"}:
            raise CommandError(f"{path}: the file name must end in .xlsx or .csv")
        unit_code = options["unit"]
        if unit_code and not Unit.objects.filter(code=unit_code).exists():
            raise CommandError(f"no unit with code {unit_code}")
        if not path.parent.exists():
            raise CommandError(f"{path.parent}: no such directory")
        export, level = RatingExport(), options["level"]
        if copy_csv_available():
            # PostgreSQL gives the cells ready: streamed by COPY and neutralised in the SELECT
            # for .csv; read by a server-side cursor for .xlsx, whose writer neutralises.
            sql, params = rating_export_sql(
                level=level, unit_code=unit_code, neutralised=suffix == ".csv"
            )
            if suffix == ".csv":
                with path.open("wb") as handle:
                    handle.write(_csv_header(export.header()))
                    count = copy_csv(handle, sql, params)
                self.stdout.write(f"exported={count} path={path}")
                return
            rows = sql_rows(sql, params)
        else:
            rows = rating_export_rows(ratings_for_export(level=level, unit_code=unit_code))
        write = self._write_csv if suffix == ".csv" else self._write_xlsx
        count = write(path, export.header(), rows, str(export.sheet_title))
        self.stdout.write(f"exported={count} path={path}")

    @staticmethod
    def _write_csv(
        path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], sheet_title: str
    ) -> int:
        count = 0
        # utf-8-sig writes the BOM Excel needs to read the Chinese correctly.
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in rows:
                writer.writerow([safe_cell(value) for value in row])
                count += 1
        return count

    @staticmethod
    def _write_xlsx(
        path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], sheet_title: str
    ) -> int:
        return write_xlsx(str(path), header=header, rows=rows, sheet_title=sheet_title)


def _csv_header(header: Sequence[str]) -> bytes:
    """The BOM Excel needs to read the Chinese correctly, and the header line."""
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow(header)  # COPY ends its lines so too
    return ("\ufeff" + line.getvalue()).encode("utf-8")
