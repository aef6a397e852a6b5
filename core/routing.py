"""The URL patterns of a kind of record's pages, written from the names of its pages.

Most kinds of record have the same pages: a list with its .xlsx export and a form for a new
one, then the record's own page and the actions on it. ``record_urls`` writes their paths,
views and URL names by one convention, so an app's urls.py says only which pages it has:

    record_urls("reviews/", reviews, "review", ("list", "export"), ("detail", "return"))

is ``reviews/`` -> ``reviews.review_list`` named ``review_list``, ``reviews/export.xlsx`` ->
``review_export``, ``reviews/<int:pk>/`` -> ``review_detail`` and ``reviews/<int:pk>/return/``
-> ``review_return``.
"""

from collections.abc import Callable, Iterable
from types import ModuleType

from django.urls import URLPattern, path

# Where a page sits below the list's path (a collection page) or below the record's (a member
# page); any other page is a folder of its name: ``summary/``, ``<int:pk>/accept/``.
COLLECTION_PATHS = {"list": "", "export": "export.xlsx", "create": "new/"}
MEMBER_PATHS = {"detail": "", "letter": "letter.pdf", "report": "report.xlsx"}


def list_urls(
    prefix: str, view: Callable, export: Callable, name: str, *, export_name: str = ""
) -> list[URLPattern]:
    """A list page at ``prefix`` named ``name`` and its .xlsx export at ``prefix`` +
    ``export.xlsx`` named ``export_name`` (``<name>_export`` unless given)."""
    return [
        path(prefix, view, name=name),
        path(prefix + COLLECTION_PATHS["export"], export, name=export_name or f"{name}_export"),
    ]


def record_urls(
    prefix: str,
    views: ModuleType,
    noun: str,
    collection: Iterable[str] = (),
    member: Iterable[str] = (),
    *,
    key: str = "<int:pk>",
    names: str | None = None,
) -> list[URLPattern]:
    """The collection pages below ``prefix``, then the member pages below ``prefix`` + ``key``.

    Page ``p`` is the view ``views.<noun>_<p>`` (``views.<p>`` when ``noun`` is empty), named
    ``<names><p>`` (``names`` is ``<noun>_`` unless given: ``""`` in an app whose namespace
    already says the noun)."""
    names = f"{noun}_" if names is None else names

    def page(at: str, name: str) -> URLPattern:
        view = getattr(views, f"{noun}_{name}" if noun else name)
        return path(at, view, name=f"{names}{name}")

    return [
        *(page(prefix + COLLECTION_PATHS.get(name, f"{name}/"), name) for name in collection),
        *(page(f"{prefix}{key}/" + MEMBER_PATHS.get(name, f"{name}/"), name) for name in member),
    ]
