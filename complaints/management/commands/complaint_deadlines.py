from django.core.management.base import BaseCommand, CommandParser

from complaints.services import complaint_deadlines_refresh
from core.workdays import FIRST_KNOWN_YEAR, LAST_KNOWN_YEAR


class Command(BaseCommand):
    help = (
        "Recompute the deadlines of open complaints. Run after updating the chinesecalendar "
        "package: deadlines that were estimated (Monday to Friday) for a year the calendar did "
        "not know are counted again on the official calendar."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help="Recompute every open complaint, not only those with estimated deadlines.",
        )

    def handle(self, *args, all: bool, **options) -> None:
        changed = complaint_deadlines_refresh(only_estimated=not all)
        self.stdout.write(f"calendar={FIRST_KNOWN_YEAR}-{LAST_KNOWN_YEAR} changed={changed}")
