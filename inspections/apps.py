from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from employers.demo import register_demo_seeder
        from employers.panels import register_panel

        from . import demo, panels

        register_panel(
            order=20, template_name="inspections/panels/patrols.html", context=panels.patrols_panel
        )
        register_panel(
            order=30, template_name="inspections/panels/cases.html", context=panels.cases_panel
        )
        register_panel(
            order=40, template_name="inspections/panels/reviews.html", context=panels.reviews_panel
        )
        register_demo_seeder(30, demo.seed_inspections)
