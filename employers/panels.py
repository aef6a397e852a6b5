"""Panels on the employer page contributed by the apps above this floor.

The employer page belongs to the employers floor, which imports no app above it. The panels
(the rating, patrols, cases, reviews, complaints, training) are listed in one ordered list,
``xiqing_credit/panels.py``, named by ``settings.EMPLOYER_PAGE_PANELS``.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Panel:
    template_name: str
    # (request, employer) -> template context, or None to hide the panel for this user
    context: Callable[[HttpRequest, Any], dict | None]


@functools.cache
def employer_panels() -> tuple[Panel, ...]:
    """The panels named by ``settings.EMPLOYER_PAGE_PANELS``, in their order."""
    entries = import_string(settings.EMPLOYER_PAGE_PANELS)
    return tuple(Panel(template, import_string(path)) for template, path in entries)


def panels_for(request: HttpRequest, employer: Any) -> list[tuple[str, dict]]:
    """(template, context) for every panel this user may see on this employer's page."""
    rendered = []
    for panel in employer_panels():
        ctx = panel.context(request, employer)
        if ctx is not None:
            rendered.append((panel.template_name, {"employer": employer, **ctx}))
    return rendered


def user_may_edit(user: AbstractBaseUser, employer: Any) -> bool:
    from .models import Employer

    return Employer.objects.editable_by(user).filter(pk=employer.pk).exists()
