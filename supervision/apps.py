from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from employers.demo import register_demo_seeder

        from .demo import seed_coverage

        # after every other seeder (ratings seed at 900): the checks read their records
        register_demo_seeder(950, seed_coverage)
