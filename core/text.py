"""Joining words in the reader's language: 、 between Chinese items, ", " between English ones."""

from collections.abc import Iterable

from django.utils.translation import pgettext


def list_separator() -> str:
    return pgettext("list separator", ", ")


def join_list(items: Iterable[object]) -> str:
    return list_separator().join(str(item) for item in items)


def with_note(text: str, note: str) -> str:
    """``text (note)``, with the full-width brackets in Chinese."""
    return pgettext("text with a note", "%(text)s (%(note)s)") % {"text": text, "note": note}
