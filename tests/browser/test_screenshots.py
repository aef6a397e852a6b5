"""The screenshots in docs/screenshots/ at 375 px: ``make screenshots`` (SCREENSHOTS=1).

Skipped in the ordinary test run: it writes files into the documentation."""

import os
from pathlib import Path

import pytest

from .journey import login
from .phone_data import PASSWORD, seed_phone_lists

OUT = Path(
    os.environ.get("SCREENSHOTS_DIR", Path(__file__).resolve().parents[2] / "docs/screenshots")
)
# file name, who is logged in, the page; and the part of it to shoot (None: the first screen)
PAGES = [
    ("registry", "inspector", "/employers/", None),
    ("watchlist", "inspector", "/watchlist/", None),
    ("complaints", "inspector", "/complaints/", None),
    ("my-day", "inspector", "/my-day/", None),
    ("coverage", "supervisor", "/coverage/", None),
    # the 12-month chart below the matrix: the district and the unit chosen
    ("coverage-chart", "supervisor", "/coverage/", "[data-testid=trend-unit-form] >> xpath=.."),
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
    for name, role, path, part in PAGES:
        if logged_in != role:
            page.context.clear_cookies()
            login(page, live_server, users[role].username, PASSWORD)
            logged_in = role
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, f"{path}: {response}"
        page.wait_for_load_state("networkidle")
        if part is None:
            page.screenshot(path=str(OUT / f"{name}-375.png"))
        else:
            section = page.locator(part)
            section.scroll_into_view_if_needed()
            page.wait_for_timeout(1000)  # the chart's drawing animation
            section.screenshot(path=str(OUT / f"{name}-375.png"))
