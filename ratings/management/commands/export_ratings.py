"""manage.py export_ratings PATH.(xlsx|csv) [--level L] [--unit CODE]"""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from openpyxl import Workbook

from core.exports import safe_cell
from employers.models import Unit
from ratings.models import Level
from ratings.selectors import rating_export_rows, ratings_for_export

HEADER = ["统一社会信用代码", "单位名称", "所属街镇", "信用等级", "评级依据", "评级时间"]


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
        ratings = ratings_for_export(level=options["level"], unit_code=unit_code)
        rows = rating_export_rows(ratings)
        count = self._write_csv(path, rows) if suffix == ".csv" else self._write_xlsx(path, rows)
        self.stdout.write(f"exported={count} path={path}")

    @staticmethod
    def _write_csv(path: Path, rows) -> int:
        count = 0
        # utf-8-sig writes the BOM Excel needs to read the Chinese correctly.
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            for row in rows:
                writer.writerow([safe_cell(value) for value in row])
                count += 1
        return count

    @staticmethod
    def _write_xlsx(path: Path, rows) -> int:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title="信用等级")
        sheet.append(HEADER)
        count = 0
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
            count += 1
        workbook.save(path)
        return count
