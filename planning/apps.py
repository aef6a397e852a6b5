from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """Inspection planning from the level: patrol intervals, patrols due, the C watchlist and
    the training of C employers."""

    name = "planning"
    verbose_name = _("Inspection planning")

    def ready(self) -> None:
        from employers.demo import register_demo_seeder

        from .demo import seed_training
        from .panels import register_panels

        register_panels()
        # Demo training records, once the ratings exist (the ratings seeder runs at 900).
        register_demo_seeder(910, seed_training)
