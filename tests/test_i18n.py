"""Languages: Chinese by default, an English switch that works, and complete catalogues."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from xiqing_credit.context_processors import NAVIGATION

BASE_DIR = Path(settings.BASE_DIR)
ROOT_PO = BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
# The project's own apps, in INSTALLED_APPS order: each keeps its own catalogue.
PROJECT_APPS = [app for app in settings.INSTALLED_APPS if (BASE_DIR / app / "apps.py").exists()]
# Every catalogue of the project: the root one (templates/, xiqing_credit/) and one per app.
CATALOGUES = ["", *PROJECT_APPS]
# The same exclusions as `make messages` for the root catalogue: apps keep their own.
ROOT_IGNORES = [f"{app}/*" for app in PROJECT_APPS]


def po_entries(path: Path) -> list[dict]:
    """The entries of a .po file: msgid, msgstr (or plural forms), flags, obsolete."""
    entries: list[dict] = []
    entry: dict = {}
    key = None

    def finish() -> None:
        nonlocal entry
        if "msgid" in entry:
            entries.append(entry)
        entry = {}

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            key = None
            continue
        if line.startswith("#~"):
            entry["obsolete"] = True
            continue
        if line.startswith("#,"):
            entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$', line)
        if match:
            if match.group(1) == "msgid" and "msgid" in entry:
                finish()
            key = match.group(1)
            entry[key] = match.group(2)
        elif line.startswith('"') and key:
            entry[key] += line[1:-1]
    finish()
    return entries


PO_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def unescape(text: str) -> str:
    """A .po string literal's content as the text it stands for."""
    return re.sub(r"\\(.)", lambda m: PO_ESCAPES.get(m.group(1), m.group(1)), text)


def catalogue_path(app: str) -> Path:
    return BASE_DIR / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def catalogue_or_skip(app: str) -> Path:
    locale_dir = BASE_DIR / app / "locale"
    if not locale_dir.is_dir():
        pytest.skip(f"{app}/locale does not exist yet")
    path = catalogue_path(app)
    if not path.exists():
        pytest.skip(f"{app}/locale has no zh_Hans catalogue yet")
    return path


# --- switching language --------------------------------------------------------------------


def employers_page(client, language: str | None = None) -> str:
    """The employer list, after switching the language to ``language`` when given."""
    if language:
        switched = client.post("/i18n/setlang/", {"language": language, "next": "/employers/"})
        assert switched.status_code == 302
        assert switched["Location"] == "/employers/"
    return client.get("/employers/").content.decode()


@pytest.mark.django_db
def test_pages_are_chinese_by_default(client_lqz):
    body = employers_page(client_lqz)
    assert 'lang="zh-hans"' in body
    assert "用人单位" in body
    assert "退出登录" in body
    # the footer offers the language switch
    assert 'action="/i18n/setlang/"' in body
    assert 'name="language" value="en"' in body
    assert 'name="language" value="zh-hans"' in body


@pytest.mark.django_db
def test_switching_to_english_and_back(client_lqz):
    body = employers_page(client_lqz, "en")
    assert 'lang="en"' in body
    assert ">Employers</a>" in body
    assert "Log out" in body
    assert "退出登录" not in body

    body = employers_page(client_lqz, "zh-hans")
    assert ">用人单位</a>" in body
    assert "退出登录" in body


@pytest.mark.django_db
def test_login_page_switches_language_before_logging_in():
    client = Client()
    assert "用户名" in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    body = client.get("/accounts/login/").content.decode()
    assert "User name" in body
    assert "用户名" not in body


def test_switch_refuses_an_offsite_next_url(db):
    response = Client().post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


@pytest.mark.parametrize(("label", "url_name", "roles"), NAVIGATION)
def test_navigation_labels_are_translated(label, url_name, roles):
    with translation.override("zh-hans"):
        chinese = str(label)
    with translation.override("en"):
        english = str(label)
    assert chinese != english, f"{url_name}: {english!r} has no Chinese translation"
    assert re.search(r"[\u4e00-\u9fff]", chinese)


# --- catalogues ----------------------------------------------------------------------------


@pytest.mark.parametrize("app", CATALOGUES, ids=lambda app: app or "root")
def test_catalogue_is_complete(app):
    """No empty msgstr, no fuzzy entry: what a user sees is never half English."""
    path = catalogue_or_skip(app)
    problems = []
    for entry in po_entries(path):
        if entry["msgid"] == "" or entry.get("obsolete"):
            continue
        if "fuzzy" in entry.get("flags", set()):
            problems.append(f"fuzzy: {entry['msgid']!r}")
        translations = [value for key, value in entry.items() if key.startswith("msgstr")]
        if not translations or any(value == "" for value in translations):
            problems.append(f"untranslated: {entry['msgid']!r}")
    assert problems == [], f"{path.relative_to(BASE_DIR)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("app", CATALOGUES, ids=lambda app: app or "root")
def test_compiled_catalogue_matches_the_po_file(app):
    """The committed .mo is what Django reads: it must hold every translation of the .po."""
    path = catalogue_or_skip(app)
    mo_path = path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path.relative_to(BASE_DIR)} missing: run compilemessages"
    with mo_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in po_entries(path):
        if entry["msgid"] == "" or entry.get("obsolete") or "msgid_plural" in entry:
            continue
        if "fuzzy" in entry.get("flags", set()) or not entry.get("msgstr"):
            continue
        msgid = unescape(entry["msgid"])
        if "msgctxt" in entry:
            got = compiled.pgettext(unescape(entry["msgctxt"]), msgid)
        else:
            got = compiled.gettext(msgid)
        if got != unescape(entry["msgstr"]):
            stale.append(msgid)
    assert stale == [], f"{mo_path.relative_to(BASE_DIR)} is stale, recompile: {stale[:5]}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_root_catalogue_is_current(tmp_path):
    """Every string of templates/ and xiqing_credit/ is in locale/zh_Hans: makemessages on a
    copy of them finds no msgid the committed catalogue lacks."""
    for folder in ("templates", "xiqing_credit"):
        shutil.copytree(
            BASE_DIR / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    (tmp_path / "locale").mkdir()
    django_admin = Path(sys.executable).with_name("django-admin")
    command = [str(django_admin), "makemessages", "-l", "zh_Hans"]
    for pattern in ROOT_IGNORES:
        command += ["-i", pattern]
    # Like `make messages`: no settings module, the strings are read from the files alone.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    fresh = {e["msgid"] for e in po_entries(tmp_path / "locale/zh_Hans/LC_MESSAGES/django.po")}
    committed = {e["msgid"] for e in po_entries(ROOT_PO) if not e.get("obsolete")}
    missing = sorted(fresh - committed)
    assert missing == [], "run `make messages` and translate: " + "; ".join(missing)
