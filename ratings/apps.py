from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    """The rating engine: rules, current ratings, their history, the yearly evaluation and the
    early warning. The uses of the level live in ``planning`` and ``partners``."""

    name = "ratings"
    verbose_name = _("Ratings")

    def ready(self) -> None:
        from . import signals

        signals.connect()
