"""What every form page and every POST-only action on a record does around its service call.

A form page shows a form; on a POST of a valid form it calls one service, and either puts the
service's ``ValidationError`` on the form (the page is shown again) or says it is done and
redirects. A POST-only action (a button on a record's page) calls its service and goes back to
the page with what went wrong, or what was done, as a message.

``success`` and ``then`` are a value or a function of what the service returned (the case
opened, to name its number and to go to its page).
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import Promise

Text = str | Promise


def add_validation_error(form: BaseForm, error: ValidationError) -> None:
    """Attach a service's ``ValidationError`` to the fields it names (or to the form)."""
    if hasattr(error, "error_dict"):
        for field, texts in error.message_dict.items():
            target = field if field in form.fields else None
            for text in texts:
                form.add_error(target, text)
    else:
        for text in error.messages:
            form.add_error(None, text)


def error_messages(request: HttpRequest, texts: Iterable[Text]) -> None:
    for text in texts:
        messages.error(request, text)


def form_errors(form: BaseForm) -> list[str]:
    """Every error of an invalid form, field by field."""
    return [text for errors in form.errors.values() for text in errors]


def _of(value: Any, saved: Any) -> Any:
    return value(saved) if callable(value) else value


def form_saved(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[dict[str, Any]], Any],
    success: Text | Callable[[Any], Text],
    *,
    then: Any = None,
) -> HttpResponse | None:
    """On a POST of a valid ``form``: ``save(form.cleaned_data)``, the ``success`` message and
    the redirect to ``then`` (by default to what ``save`` returned). None otherwise (a GET, an
    invalid form, or a ``ValidationError`` from ``save``, now on the form): the caller shows the
    form again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save(form.cleaned_data)
    except ValidationError as error:
        add_validation_error(form, error)
        return None
    messages.success(request, _of(success, saved))
    return redirect(saved if then is None else _of(then, saved))


def action_done(
    request: HttpRequest,
    form: BaseForm,
    act: Callable[[dict[str, Any]], Any],
    success: Text | Callable[[Any], Text],
    *,
    invalid: Text = "",
) -> bool:
    """A POST-only action: on a valid ``form``, ``act(form.cleaned_data)`` and the ``success``
    message. Each message of a ``ValidationError`` from ``act`` becomes an error message; an
    invalid form says ``invalid``, or each of its errors."""
    if not form.is_valid():
        error_messages(request, [invalid] if invalid else form_errors(form))
        return False
    try:
        done = act(form.cleaned_data)
    except ValidationError as error:
        error_messages(request, error.messages)
        return False
    messages.success(request, _of(success, done))
    return True
