from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The ground floor: roles, scoping, dates, the working-day calendar, spreadsheets, exports.
    It imports no other app of the project."""

    name = "core"
    verbose_name = _("Common")
