from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    """The rating engine: rules, current ratings, their history, the yearly evaluation and the
    early warning. The uses of the level live in ``planning`` and ``partners``."""

    name = "ratings"
    verbose_name = _("Ratings")

    def ready(self) -> None:
        from employers.demo import register_demo_seeder
        from employers.panels import register_panel

        from . import signals
        from .demo import seed_ratings
        from .panels import rating_panel

        signals.connect()
        register_panel(order=10, template_name="ratings/rating_panel.html", context=rating_panel)
        # After every seeder that adds cases: rates whatever they left unrated or stale.
        register_demo_seeder(900, seed_ratings)
