"""The evaluation items of the notice: what a patrol checks, a review reads, a case finds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Item(models.TextChoices):
    INTERNAL_RULES = "internal_rules", _("Internal labour rules")
    CONTRACTS = "contracts", _("Labour contracts")
    DISPATCH = "dispatch", _("Labour dispatch")
    CHILD_LABOUR = "child_labour", _("Child labour")
    FEMALE_MINOR = "female_minor", _("Female and minor worker protection")
    WORKING_HOURS = "working_hours", _("Working hours and rest")
    WAGES = "wages", _("Wages and minimum wage")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance")
    OTHER = "other", _("Other")
