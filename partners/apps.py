from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """The exchange with partner departments (joint punishment): API keys, their access log,
    the read-only ratings API and the C-list export."""

    name = "partners"
    verbose_name = _("Partner departments")
