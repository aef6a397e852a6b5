"""Every page read in English is English: no Chinese text outside data values.

Walks every URL of the permission matrix that the persona may open, with the language set to
English, and looks for runs of Chinese characters in the visible text. A run is allowed only when
it is part of a data value stored in the database (unit, employer, user names, document numbers)
or a setting that is data (the bureau's name, document number prefixes), or a language's own name
in the language switch."""

import html
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse

from . import test_permission_matrix as matrix
from .test_permission_matrix import MATRIX, OK, client_for, kwargs_for, url_names

# The matrix's world: one record of every kind, reachable by every URL that takes an id.
world = matrix.world

CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]+")
INVISIBLE = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")


# What a user types or a file carries in Chinese whatever the page language: the column titles
# the importers read, the words of the calendar's input lines, and citations of legal documents
# (their names are proper names, quoted as published).
LEGAL_CITATION = re.compile(r"[〔〕《》]")


def _vocabulary() -> list[str]:
    from core.forms import KIND_WORDS
    from employers.roster import ROSTER_COLUMNS
    from inspections.case_ledger import COLUMNS as LEDGER_COLUMNS

    words = [
        w for table in (ROSTER_COLUMNS, LEDGER_COLUMNS) for names in table.values() for w in names
    ]
    words += ["序号", "备注", "是", "否"]  # ignored columns and the yes/no cells of a ledger
    return words + [w for kind_words in KIND_WORDS.values() for w in kind_words]


def _data_values() -> list[str]:
    """Every text value stored in the test database, and the settings that are data."""
    values: list[str] = [str(name) for _code, name in settings.LANGUAGES] + _vocabulary()
    values += [v for k, v in vars(settings._wrapped).items() if k.isupper() and type(v) is str]
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        if fields:
            for row in model.objects.values_list(*fields):
                values += [str(v) for v in row if v]
    return values


def _visible_text(content: str) -> str:
    text = TAG.sub(" ", INVISIBLE.sub(" ", content))
    return html.unescape(text)


def _leftovers(content: str, data: list[str]) -> set[str]:
    blob = "\n".join(data)
    return {
        run
        for run in CHINESE.findall(_visible_text(content))
        if run not in blob and not LEGAL_CITATION.search(run)
    }


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["own", "supervisor", "admin"])
def test_every_page_in_english_has_no_chinese_outside_data(world, persona) -> None:
    client = client_for(persona, world)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = _data_values()
    found: list[str] = []
    for name in url_names():
        if MATRIX[name][persona] != OK or name.startswith("partners:api"):
            continue
        response = client.get(reverse(name, kwargs=kwargs_for(name, world)), follow=True)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        leftovers = _leftovers(response.content.decode("utf-8"), data)
        if leftovers:
            found.append(f"{name}: {' | '.join(sorted(leftovers))}")
    assert not found, "Chinese text on English pages:\n" + "\n".join(found)
