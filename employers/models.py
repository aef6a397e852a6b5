from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scoping import UnitScopedQuerySet

from .credit_code import validate_credit_code


class Unit(models.Model):
    """An area unit of the district: street (街道), town (镇) or development zone."""

    class Kind(models.TextChoices):
        STREET = "street", _("Street")
        TOWN = "town", _("Town")
        ZONE = "zone", _("Development zone")

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="units",
        blank=True,
        verbose_name=_("inspectors"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("area unit")
        verbose_name_plural = _("area units")

    def __str__(self) -> str:
        return self.name


class EmployerQuerySet(UnitScopedQuerySet):
    """Employers the user may see (``visible_to``) and change (``editable_by``), by the unit."""

    unit_path = "unit"

    def active(self) -> "EmployerQuerySet":
        return self.filter(status=Employer.Status.ACTIVE)


class EmployerRecordQuerySet(UnitScopedQuerySet):
    """Records about an employer (patrols, cases, notices, repairs...), scoped the way
    ``Employer.objects.visible_to`` is: by the employer's unit."""

    unit_path = "employer__unit"


class Employer(models.Model):
    """用人单位: any of the four kinds, keyed by its unified social credit code."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        INDIVIDUAL = "individual", _("Individual business")
        AGENCY = "agency", _("Job agency")
        TRAINING = "training", _("Vocational training institution")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DEREGISTERED = "deregistered", _("Deregistered")

    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.ENTERPRISE)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="employers", verbose_name=_("area unit")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), null=True, blank=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    verified_on = models.DateField(
        _("last verified on"),
        null=True,
        blank=True,
        help_text=_("When the record was last checked against the employer (annual update duty)."),
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = EmployerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        indexes = [
            # employer list of a unit in its order (name, id): the page is an index scan that
            # stops after 50 rows instead of sorting a whole unit (docs/performance.md)
            models.Index(fields=["unit", "name", "id"], name="employer_unit_name_id"),
            # whole-district employer list in its order
            models.Index(fields=["name", "id"], name="employer_name_id"),
            # employer list filtered by kind
            models.Index(fields=["kind", "name"], name="employer_kind_name"),
            # coverage: employers added per unit per month
            models.Index(fields=["unit", "created_at"], name="employer_unit_created"),
            # coverage: stale records (not verified in 12 months) per unit
            models.Index(fields=["unit", "verified_on"], name="employer_unit_verified"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.credit_code})"

    def get_absolute_url(self) -> str:
        return reverse("employers:detail", kwargs={"credit_code": self.credit_code})


def employer_fk(
    related_name: str, *, on_delete: Any = models.PROTECT, **options: Any
) -> models.ForeignKey:
    """The employer a record is about (a case, a patrol, a rating...): an employer with records
    is not deleted unless ``on_delete`` says the records go with it."""
    return models.ForeignKey(
        Employer,
        on_delete=on_delete,
        related_name=related_name,
        verbose_name=_("employer"),
        **options,
    )
