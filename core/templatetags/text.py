"""Template side of core.text: ``{{ items|join_list }}``, ``{% list_separator %}``."""

from collections.abc import Iterable

from django import template

from core import text

register = template.Library()


@register.filter
def join_list(items: Iterable[object]) -> str:
    return text.join_list(items)


@register.simple_tag
def list_separator() -> str:
    return text.list_separator()


@register.simple_tag
def with_note(value: object, note: object) -> str:
    return text.with_note(str(value), str(note))
