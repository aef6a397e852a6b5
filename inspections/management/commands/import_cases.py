"""manage.py import_cases PATH [--dry-run] [--report OUT.xlsx]"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from imports.commands import command_import
from inspections.importer import CaseLedgerImporter


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

    def handle(
        self, *args: Any, path: Path, dry_run: bool, report: Path | None, **options: Any
    ) -> None:
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        result = command_import(importer=CaseLedgerImporter(), path=path, dry_run=dry_run)
        if report is not None:
            if result.report is not None:
                result.report.save(report)
            elif report.exists():
                # A stale report from an earlier run would mislead.
                report.unlink()
        if options["verbosity"] > 1:
            for rejection in result.rejections:
                self.stderr.write(str(rejection))
        self.stdout.write(result.summary)
