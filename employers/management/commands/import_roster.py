"""import_roster PATH [--dry-run] [--report OUT.xlsx]: the command-line roster import."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core import spreadsheets as sheets
from employers.importer import RosterImporter
from imports.commands import command_import


class Command(BaseCommand):
    help = (
        "Import an employer roster (.xlsx, .xls or .csv) and print "
        "created=N updated=N unchanged=N rejected=N."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the roster file")
        parser.add_argument(
            "--dry-run", action="store_true", help="read and compare only; write nothing"
        )
        parser.add_argument(
            "--report", metavar="OUT.xlsx", help="write the rejected rows with their reasons here"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(_("%(path)s: no such file.") % {"path": path})
        result = command_import(
            importer=RosterImporter(), path=path, dry_run=options["dry_run"], check_upload=True
        )
        if options["report"]:
            report = result.report or sheets.RejectedRowsReport(result.titles)
            report.save(options["report"])
        self.stdout.write(result.summary)
