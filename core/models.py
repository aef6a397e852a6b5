"""Abstract models the apps above build on, and the ground floor's one table: the official days
of the working calendar."""

from collections.abc import Callable

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import user_fk


class Recorded(models.Model):
    """Who recorded the row and when. A model that names the recorder otherwise ("drawn by")
    declares its own ``created_by``."""

    created_by = user_fk(_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        abstract = True


class RecordedUpdated(Recorded):
    """A record that is edited after it was recorded: also when it last changed."""

    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class StoredFile(models.Model):
    """An uploaded file kept under MEDIA_ROOT: the name it was uploaded with (kept here, never
    in a path), its content type, its size and when it came. The model declares ``file`` with
    its own folder."""

    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class YearlyCounter(models.Model):
    """The last serial handed out per year for one kind of document number (case numbers,
    complaint numbers, letters). Its row is locked while a number is chosen.

    A counter is a subclass with a docstring and nothing else: it inherits this Meta, and its
    name (never shown on a page) comes from the class name."""

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


class OfficialDay(models.Model):
    """One day of the State Council's yearly holiday arrangement, as the bureau entered it (or as
    the data migration copied it from chinesecalendar): a holiday on a weekday, or a make-up
    working day (调休) on a weekend. A year with any row here is "entered": its other days follow
    the plain week, and the package and the estimate are no longer asked about it."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("holiday")
        WORKDAY = "workday", _("make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The notice's year, which is not always the date's: a notice may start 元旦 on 31 December.
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    name = models.CharField(_("name"), max_length=60, blank=True)
    source = models.CharField(_("source notice"), max_length=200, blank=True)
    entered_by = user_fk(_("entered by"), on_delete=models.SET_NULL)
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        ordering = ["date"]
        verbose_name = _("official day")
        verbose_name_plural = _("official days")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["holiday", "workday"]), name="official_day_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".strip()


def _official_days_invalidate(**kwargs: object) -> None:
    # The calendar caches the table per process; any change through the ORM drops that copy.
    from core.workdays import official_days_invalidate

    official_days_invalidate()


post_save.connect(_official_days_invalidate, sender=OfficialDay, dispatch_uid="official_day_save")
post_delete.connect(
    _official_days_invalidate, sender=OfficialDay, dispatch_uid="official_day_delete"
)
