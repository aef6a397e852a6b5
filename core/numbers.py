"""The numbers of the bureau's letters, 〈prefix〉〔year〕N号, counted per year."""

from django.db.models import QuerySet

from .models import YearlyCounter


def letter_number_next(
    counter: type[YearlyCounter], *, prefix: str, year: int, letters: QuerySet, field: str
) -> str:
    """The next free number ``prefix〔year〕N号`` of ``counter``, skipping a number that a row of
    ``letters`` already holds in ``field`` (typed by hand or imported). Must run inside a
    transaction: the counter row is locked (see ``YearlyCounter.number_next``)."""
    return counter.number_next(
        year=year,
        format_number=lambda serial: f"{prefix}〔{year}〕{serial}号",
        is_taken=lambda number: letters.filter(**{field: number}).exists(),
    )
