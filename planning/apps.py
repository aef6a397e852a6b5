from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """Inspection planning from the level: patrol intervals, patrols due, the C watchlist and
    the training of C employers."""

    name = "planning"
    verbose_name = _("Inspection planning")
