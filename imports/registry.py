"""The importers, by key (the ImportBatch kind). Named by dotted path and loaded on first use:
the importers live in the apps above (employers, inspections), which this floor must not import
when it is loaded."""

from functools import cache

from django.http import Http404
from django.utils.module_loading import import_string

from .base import Importer

IMPORTERS: dict[str, str] = {
    "roster": "employers.importer.RosterImporter",
    "cases": "inspections.importer.CaseLedgerImporter",
}


@cache
def importer_for(key: str) -> Importer:
    """The importer registered under ``key``; Http404 for an unknown key."""
    try:
        path = IMPORTERS[key]
    except KeyError:
        raise Http404 from None
    return import_string(path)()
