"""manage.py notice_letter CREDIT_CODE OUT.pdf"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from employers.credit_code import normalise_credit_code
from employers.models import Employer
from ratings.models import Rating
from ratings.procedure.letters import notice_letter_pdf, rating_letter_pdf
from ratings.procedure.selectors import notice_current


class Command(BaseCommand):
    help = (
        "Write the notice letter (告知书) of an employer's current rating as PDF: its notice's "
        "letter when one tells this rating, else an unnumbered draft."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("credit_code", help="the employer's unified social credit code")
        parser.add_argument("out", help="the PDF file to write")

    def handle(self, *args: object, **options: object) -> None:
        code = normalise_credit_code(str(options["credit_code"]))
        employer = Employer.objects.filter(credit_code=code).first()
        if employer is None:
            raise CommandError(f"no employer with credit code {options['credit_code']}")
        rating = Rating.objects.filter(employer=employer).select_related("employer").first()
        if rating is None:
            raise CommandError(f"{code} has no rating yet; run rerate --credit-code {code}")
        notice = notice_current(employer, rating)
        content = notice_letter_pdf(notice) if notice else rating_letter_pdf(rating)
        out = Path(str(options["out"]))
        try:
            out.write_bytes(content)
        except OSError as error:
            raise CommandError(f"cannot write {out}: {error.strerror}") from error
        self.stdout.write(f"wrote {out} ({len(content)} bytes)")
