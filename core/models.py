"""Abstract models the apps above build on. The ground floor has no tables of its own yet."""

from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext_lazy as _


class YearlyCounter(models.Model):
    """The last serial handed out per year for one kind of document number (case numbers,
    complaint numbers, letters). Its row is locked while a number is chosen."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        abstract = True
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"

    @classmethod
    def number_next(
        cls, *, year: int, format_number: Callable[[int], str], is_taken: Callable[[str], bool]
    ) -> str:
        """The next free number of ``year``. Must run inside a transaction: the counter row is
        locked (SELECT ... FOR UPDATE) so two users saving at once get different numbers;
        numbers already taken by hand or by an import are skipped."""
        cls.objects.get_or_create(year=year)
        counter = cls.objects.select_for_update().get(year=year)
        serial = counter.last_number
        while True:
            serial += 1
            number = format_number(serial)
            if not is_taken(number):
                break
        counter.last_number = serial
        counter.save(update_fields=["last_number"])
        return number
