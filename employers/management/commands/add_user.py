import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from core.roles import Role, role_group
from employers.models import Unit
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

    @transaction.atomic
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
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(username=username)
        generated = password is None and created
        if password is None and created:
            password = secrets.token_urlsafe(12)
        if password is not None:
            # The same AUTH_PASSWORD_VALIDATORS as every form; raising inside the atomic block
            # also undoes the creation of a new user.
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise CommandError("password rejected: " + " ".join(error.messages)) from error
            user.set_password(password)
        if email:
            user.email = email
        user.is_staff = role == Role.ADMIN
        user.save()
        user.groups.remove(*[role_group(r) for r in Role.values if r != role])
        user.groups.add(role_group(role))
        if units:
            user.units.set(units)
        verb = "created" if created else "updated"
        line = f"{verb} {username} role={role}"
        if units:
            line += " units=" + ",".join(u.code for u in units)
        if generated:
            line += f" password={password}"
        self.stdout.write(line)
