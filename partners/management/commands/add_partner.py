"""manage.py add_partner NAME: a new API key for a partner department, printed once."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from partners.services import partner_key_create


class Command(BaseCommand):
    help = (
        "Create an API key for a partner department (joint punishment) and print it once. "
        "Only its hash is stored: the key cannot be shown again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="partner department, e.g. 西青区市场监督管理局")

    def handle(self, *args, name: str, **options) -> None:
        name = name.strip()
        if not name:
            raise CommandError("NAME must not be empty")
        key, plain = partner_key_create(name=name)
        # stdout carries only the key so scripts can capture it; the note goes to stderr.
        self.stdout.write(plain)
        self.stderr.write(
            f"API key for {key.partner} (prefix {key.prefix}) created. "
            "Store it now: it is kept only as a hash and cannot be shown again."
        )
