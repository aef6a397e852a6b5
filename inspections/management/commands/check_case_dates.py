"""List the cases whose dates cannot be true: in the future, or before the date they follow.

Run before migrating to the date constraints (the migration refuses to add them while such
cases exist) and whenever the ledger is in doubt. Nothing is changed: each case is for an
inspector to correct from the paper file."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from inspections.case_date_check import offending_cases


class Command(BaseCommand):
    help = "List cases whose dates are in the future or out of order (changes nothing)."

    def handle(self, *args: object, **options: object) -> None:
        found = offending_cases()
        for number, problems in found:
            self.stdout.write(f"{number}: " + "; ".join(problems))
        if found:
            self.stdout.write(_("%(count)d case(s) with impossible dates.") % {"count": len(found)})
        else:
            self.stdout.write(_("No case has impossible dates."))
