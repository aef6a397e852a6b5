"""manage.py import_cases PATH [--dry-run] [--report OUT.xlsx]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from employers.models import ImportBatch
from inspections.case_ledger import case_ledger_import


class Command(BaseCommand):
    help = "Import a historical case ledger (.xlsx, .xls or .csv) into the case table."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and count, write nothing."
        )
        parser.add_argument(
            "--report",
            type=Path,
            help="Write the rejected rows, with an error column, to this .xlsx file.",
        )

    def handle(self, *args, path: Path, dry_run: bool, report: Path | None, **options) -> None:
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        batch = None
        if not dry_run:
            batch = ImportBatch.objects.create(
                kind=ImportBatch.Kind.CASES, file_name=path.name[:255]
            )
        result = case_ledger_import(path, name=path.name, user=None, batch=batch, dry_run=dry_run)
        if result.file_error:
            raise CommandError(f"{path.name}: {result.file_error}")
        if report is not None:
            if result.report:
                report.write_bytes(result.report)
            elif report.exists():
                # A stale report from an earlier run would mislead.
                report.unlink()
        if options["verbosity"] > 1:
            for rejection in result.rejections:
                self.stderr.write(str(rejection))
        self.stdout.write(result.summary)
