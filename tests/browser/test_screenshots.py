"""The screenshots in docs/screenshots/ at 375 px: ``make screenshots`` (SCREENSHOTS=1).

Skipped in the ordinary test run: it writes files into the documentation."""

import os
from pathlib import Path

import pytest

from .conftest import login
from .phone_data import PASSWORD, seed_phone_lists

OUT = Path(
    os.environ.get("SCREENSHOTS_DIR", Path(__file__).resolve().parents[2] / "docs/screenshots")
)
PAGES = [
    ("registry", "inspector", "/employers/"),
    ("watchlist", "inspector", "/watchlist/"),
    ("complaints", "inspector", "/complaints/"),
    ("my-day", "inspector", "/my-day/"),
    ("coverage", "supervisor", "/coverage/"),
]

pytestmark = pytest.mark.skipif(
    not os.environ.get("SCREENSHOTS"), reason="writes docs/screenshots: make screenshots"
)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 375, "height": 812}, "locale": "zh-CN"}


@pytest.mark.django_db(transaction=True)
def test_screenshots(page, live_server):
    users = seed_phone_lists()
    OUT.mkdir(parents=True, exist_ok=True)
    logged_in = None
    for name, role, path in PAGES:
        if logged_in != role:
            page.context.clear_cookies()
            login(page, live_server, users[role].username, PASSWORD)
            logged_in = role
        response = page.goto(f"{live_server.url}{path}")
        if response is None or response.status != 200:
            continue  # a page this build does not have (yet)
        page.screenshot(path=str(OUT / f"{name}-375.png"))
