"""manage.py rerate [--all | --due | --credit-code CODE]"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from employers.credit_code import normalise_credit_code
from employers.models import Employer
from ratings.services import employer_rerate, employers_rerate_bulk, ratings_rerate_due


class Command(BaseCommand):
    help = (
        "Recompute ratings: --all every employer, --due those whose next-change date has come "
        "(the daily sweep; also employers without a rating), --credit-code one employer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="every employer")
        which.add_argument("--due", action="store_true", help="ratings whose next change has come")
        which.add_argument("--credit-code", metavar="CODE", help="one employer")

    def handle(self, *args: object, **options: object) -> None:
        if options["credit_code"]:
            code = normalise_credit_code(str(options["credit_code"]))
            employer_id = (
                Employer.objects.filter(credit_code=code).values_list("pk", flat=True).first()
            )
            if employer_id is None:
                raise CommandError(f"no employer with credit code {code}")
            rating = employer_rerate(employer_id=employer_id, cause="command")
            self.stdout.write(f"{code} level={rating.level} clauses={rating.clause_codes or '-'}")
            return
        summary = ratings_rerate_due() if options["due"] else employers_rerate_bulk(cause="full")
        self.stdout.write(summary.line)
