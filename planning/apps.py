from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """Inspection planning from the level: patrol intervals, patrols due, the C watchlist and
    the training of C employers."""

    name = "planning"
    verbose_name = _("Inspection planning")

    def ready(self) -> None:
        from ratings.patrol_due import register_patrol_intervals

        from .selectors import patrol_intervals

        # The engine stores each rating's next patrol due date with the months set here.
        register_patrol_intervals(patrol_intervals)
