from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.roles import Role
from employers.models import Unit
from employers.staff.services import staff_user_save
from employers.units import unit_code_for


class Command(BaseCommand):
    help = "Create or update a user with a role and area units."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument(
            "--unit",
            action="append",
            default=[],
            metavar="CODE",
            help="area unit code or name; repeat for several units",
        )
        parser.add_argument("--password", help="default: a random password, printed once")
        parser.add_argument("--email", default="")

    def handle(
        self,
        *args,
        username: str,
        role: str,
        unit: list[str],
        password: str | None,
        email: str,
        **options,
    ) -> None:
        units = []
        for raw in unit:
            code = unit_code_for(raw) or raw
            found = Unit.objects.filter(code=code).first()
            if found is None:
                raise CommandError(f"unknown area unit: {raw}")
            units.append(found)
        if role == Role.INSPECTOR and not units:
            raise CommandError("an inspector needs at least one --unit")
        try:
            saved = staff_user_save(
                username=username, role=role, units=units or None, password=password, email=email
            )
        except ValidationError as error:
            # The same AUTH_PASSWORD_VALIDATORS as every form.
            raise CommandError("password rejected: " + " ".join(error.messages)) from error
        verb = "created" if saved.created else "updated"
        line = f"{verb} {username} role={role}"
        if units:
            line += " units=" + ",".join(u.code for u in units)
        if saved.generated_password:
            line += f" password={saved.generated_password}"
        self.stdout.write(line)
