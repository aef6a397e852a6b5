from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from employers.demo import register_demo_seeder
        from employers.panels import register_panel

        from .demo import seed_complaints
        from .panels import complaints_panel

        register_panel(
            order=50, template_name="complaints/_employer_panel.html", context=complaints_panel
        )
        register_demo_seeder(50, seed_complaints)
        from . import calendar_sync  # noqa: F401  (connects to official_days_changed)
