"""Fields the apps' models declare alike: a user named on a row, an optional link, and where an
upload is stored.

Each factory returns a plain Django field: a model declaring its field through one has the same
column, the same migration state and the same history table as with the field written out."""

import datetime
import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.functional import Promise

# What a photo-or-PDF upload (evidence, a notice's receipt, an objection's attachment) may be.
PHOTO_OR_PDF_EXTENSIONS = (".jpg", ".jpeg", ".png", ".pdf")


def user_fk(
    verbose_name: str | Promise,
    *,
    required: bool = False,
    on_delete: Any = models.PROTECT,
    related_name: str = "+",
    **options: Any,
) -> models.ForeignKey:
    """A user named on a row (who recorded it, decided it, served it...): a user with rows
    is never deleted (PROTECT), the user has no reverse accessor, and the field may stay empty
    (null and blank) unless ``required``. ``options`` override any of these."""
    options.setdefault("null", not required)
    options.setdefault("blank", not required)
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=on_delete,
        related_name=related_name,
        verbose_name=verbose_name,
        **options,
    )


def optional_fk(
    to: Any,
    related_name: str,
    verbose_name: str | Promise,
    *,
    on_delete: Any = models.PROTECT,
    **options: Any,
) -> models.ForeignKey:
    """A link a record may or may not have (null and blank): the patrol a case came from, the
    record a file is attached to, the run that produced a result."""
    return models.ForeignKey(
        to,
        on_delete=on_delete,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
        **options,
    )


def random_upload_name(folder: str, filename: str) -> str:
    """A random name under ``folder``/YYYY/MM/ for a photo or PDF, keeping the suffix only when
    it is one of theirs: the name a user typed stays on the row and never reaches a path."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in PHOTO_OR_PDF_EXTENSIONS:
        suffix = ""
    today = datetime.date.today()  # noqa: DTZ011 - only a folder name
    return f"{folder}/{today:%Y/%m}/{uuid.uuid4().hex}{suffix}"
