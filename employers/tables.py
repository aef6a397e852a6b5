import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.cards import Card
from core.tables import unit_column

from .models import Employer


class EmployerTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Name"))
    credit_code = tables.Column(verbose_name=_("Credit code"))
    unit = unit_column("unit__code")
    kind = tables.Column(verbose_name=_("Kind"))
    headcount = tables.Column(verbose_name=_("Headcount"), attrs={"td": {"class": "text-end"}})
    status = tables.Column(verbose_name=_("Status"))

    # "level" and "since" are the columns the ratings app adds (employers/registry.py)
    card = Card(
        title="name",
        code="credit_code",
        unit="unit",
        badge="level",
        dates=("since",),
        extra=("status",),
    )

    class Meta:
        model = Employer
        fields = ("name", "credit_code", "unit", "kind", "headcount", "status")
        order_by = ("name",)
        empty_text = _("No employers match these filters.")
