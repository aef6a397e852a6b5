"""manage.py evaluate_year YYYY"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ratings.services import yearly_evaluate


class Command(BaseCommand):
    help = (
        "Yearly evaluation (年度评价): freeze every employer's level for a finished calendar "
        "year. Running it again replaces the levels and keeps the notification dates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int, help="the calendar year, e.g. 2025")

    def handle(self, *args: object, **options: object) -> None:
        try:
            summary = yearly_evaluate(year=int(options["year"]))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(summary.line)
