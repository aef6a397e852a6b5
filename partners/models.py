from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey
from simple_history.models import HistoricalRecords

from core.fields import optional_fk

# The tables were created by the ratings app; they keep their names, so no row moved.


class PartnerKey(AbstractAPIKey):
    """An API key of a partner department (market regulation, tax, trade union...).

    Stored hashed by djangorestframework-api-key; revoke by setting ``revoked``."""

    partner = models.CharField(_("partner department"), max_length=100)

    # who revoked a key and when
    history = HistoricalRecords(table_name="ratings_historicalpartnerkey")

    class Meta(AbstractAPIKey.Meta):
        db_table = "ratings_partnerkey"
        verbose_name = _("partner API key")
        verbose_name_plural = _("partner API keys")


class PartnerAccess(models.Model):
    """One request to the partner API: who, when, what they asked for."""

    key = optional_fk(PartnerKey, "accesses", _("key"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    path = models.CharField(_("path"), max_length=300)
    query = models.CharField(_("query"), max_length=500, blank=True)
    status_code = models.PositiveSmallIntegerField(_("status"))
    rows = models.PositiveIntegerField(_("rows returned"), default=0)
    remote_addr = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        db_table = "ratings_partneraccess"
        ordering = ["-at", "-id"]
        verbose_name = _("partner API access")
        verbose_name_plural = _("partner API accesses")
        indexes = [
            # partner keys page: last access and recent accesses of each key
            models.Index(fields=["key", "-at"], name="partneraccess_key_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.path}"
