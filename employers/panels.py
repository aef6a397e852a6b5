"""Panels on the employer page contributed by the apps above this floor.

The employer page belongs to the ground floor, which imports no other app. An app that wants a
section on it (patrols, cases, complaints, the rating) registers a panel in its ``AppConfig.ready``;
the page renders the registered panels in order.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    order: int
    template_name: str
    # (request, employer) -> template context, or None to hide the panel for this user
    context: Callable[[HttpRequest, Any], dict | None]


_PANELS: list[Panel] = []


def register_panel(*, order: int, template_name: str, context: Callable) -> None:
    if any(p.template_name == template_name for p in _PANELS):
        return
    _PANELS.append(Panel(order=order, template_name=template_name, context=context))
    _PANELS.sort(key=lambda p: p.order)


def panels_for(request: HttpRequest, employer: Any) -> list[tuple[str, dict]]:
    """(template, context) for every panel this user may see on this employer's page."""
    rendered = []
    for panel in _PANELS:
        ctx = panel.context(request, employer)
        if ctx is not None:
            rendered.append((panel.template_name, {"employer": employer, **ctx}))
    return rendered


def user_may_edit(user: AbstractBaseUser, employer: Any) -> bool:
    from .models import Employer

    return Employer.objects.editable_by(user).filter(pk=employer.pk).exists()
