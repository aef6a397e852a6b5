"""Unit scoping: who sees and who changes which records, written once for every scoped model.

An inspector works in the area units they are assigned to; supervisors read the whole district;
admins read and change it. A scoped model's QuerySet names the path from its rows to the unit
(``unit_path``), or overrides ``inspector_scope`` when the path is not a plain foreign key.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import Q

from .roles import Role, roles_of


class UnitScopedQuerySet(models.QuerySet):
    """Rows hanging off an area unit. Subclasses set ``unit_path`` (``"unit"``,
    ``"employer__unit"``); the join on the unit's inspectors cannot repeat rows, because a row
    has one unit and a user is listed once per unit."""

    unit_path: str = "unit"
    # Supervisors read the district but do not change records; admins do both.
    readers_of_everything = frozenset({Role.SUPERVISOR, Role.ADMIN})
    editors_of_everything = frozenset({Role.ADMIN})

    def inspector_scope(self, user: AbstractBaseUser) -> Q:
        """The rows an inspector works on: those of the units they are assigned to."""
        return Q(**{f"{self.unit_path}__inspectors": user})

    def _scoped(self, user: AbstractBaseUser | AnonymousUser, everything: frozenset[str]):
        roles = roles_of(user)
        if roles & everything:
            return self.all()
        if Role.INSPECTOR in roles:
            return self.filter(self.inspector_scope(user))
        return self.none()

    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> "UnitScopedQuerySet":
        """Every row for supervisors and admins, their own units' for inspectors, none for
        anybody else. Every list, detail, export, search and API goes through here."""
        return self._scoped(user, self.readers_of_everything)

    def editable_by(self, user: AbstractBaseUser | AnonymousUser) -> "UnitScopedQuerySet":
        """Rows the user may change: inspectors in their units, admins everywhere."""
        return self._scoped(user, self.editors_of_everything)
