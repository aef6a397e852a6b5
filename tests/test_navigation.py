"""The navigation bar: single entries and the menus that gather the rest (one line on a desktop)."""

import pytest
from django.test import RequestFactory

from xiqing_credit.context_processors import MENUS, NAVIGATION, navigation


@pytest.mark.django_db
def test_records_and_planning_pages_sit_in_their_menus(supervisor):
    request = RequestFactory().get("/watchlist/")
    request.user = supervisor
    bar = navigation(request)["nav_bar"]
    menus = {str(entry["label"]): entry for entry in bar if "entries" in entry}
    assert set(menus) == {str(label) for label, _names in MENUS}
    planning = menus[str(MENUS[1][0])]
    assert planning["active"]
    urls = [e["url"] for e in planning["entries"]]
    assert urls[0] == "/watchlist/"
    assert {"/ratings/patrols-due/", "/ratings/yearly/"} <= set(urls)
    singles = [entry["url"] for entry in bar if "entries" not in entry]
    assert "/employers/" in singles
    assert "/watchlist/" not in singles


def test_every_menu_entry_is_a_navigation_entry():
    names = {url_name for _label, url_name, _roles in NAVIGATION}
    for _label, entries in MENUS:
        assert set(entries) <= names
