from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = _("Ratings")

    def ready(self) -> None:
        from employers.demo import register_demo_seeder
        from employers.panels import register_panel

        from . import signals
        from .demo import seed_ratings
        from .panels_uses import register_uses_panels
        from .views.engine import rating_panel

        signals.connect()
        register_panel(order=10, template_name="ratings/rating_panel.html", context=rating_panel)
        # The uses of the level (training panel) live in their own module.
        register_uses_panels()
        # After every seeder that adds cases: rates whatever they left unrated or stale.
        register_demo_seeder(900, seed_ratings)
        # Uses of the level: demo training records, once the ratings exist.
        from .demo_uses import seed_training

        register_demo_seeder(910, seed_training)
