"""Every list on a 375 x 812 phone, for every role: nothing scrolls sideways and the first
screen shows at least five rows (cards below the md breakpoint, core/cards.py)."""

import pytest

from .journey import login
from .phone_data import LIST_PAGES, PASSWORD, ROWS, seed_phone_lists

PHONE = {"width": 375, "height": 812}
ROLES = ("inspector", "supervisor", "admin")

# [rows of data (cards, matrix rows) whose bottom edge is inside the first screen, rows of data
# on the page]
FIRST_SCREEN_ROWS = """() => { const rows = Array.from(document.querySelectorAll('[data-list-row]'))
  .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; });
  return [rows.filter((el) => el.getBoundingClientRect().bottom <= window.innerHeight).length,
          rows.length]; }"""


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "locale": "zh-CN"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
def test_every_list_fits_a_phone(page, live_server, role):
    users = seed_phone_lists()
    login(page, live_server, users[role].username, PASSWORD)
    problems = []
    for name, (path, roles) in LIST_PAGES.items():
        if roles is not None and role not in roles:
            continue
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, f"{path} as {role}: HTTP {response.status}"
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            problems.append(f"{name} ({path}) as {role}: {width} px wide")
        shown, total = page.evaluate(FIRST_SCREEN_ROWS)
        badges = page.locator("[data-list-row] td[data-card=badge] .level-badge:visible")
        if badges.count() and not set(badges.all_inner_texts()) <= {"A", "B", "C"}:
            problems.append(f"{name} ({path}) as {role}: level badges {badges.all_inner_texts()}")
        # five, or all there are (an inspector's coverage matrix has their one unit)
        if shown < min(5, total) or total == 0:
            problems.append(
                f"{name} ({path}) as {role}: {shown} of {total} rows on the first screen"
            )
    assert not problems, "\n".join(problems)


@pytest.mark.django_db(transaction=True)
def test_filters_fold_and_show_as_chips(page, live_server):
    users = seed_phone_lists()
    login(page, live_server, users["supervisor"].username, PASSWORD)
    page.goto(f"{live_server.url}/employers/")
    # the search stays on top, the other filters are folded
    assert page.locator("#id_q").is_visible()
    assert not page.locator("#id_level").is_visible()
    page.get_by_test_id("filter-toggle").click()
    # opened to the end (a tap while it slides open can land on a card below the fold)
    page.locator(".filter-others.collapse.show").wait_for(state="visible")
    page.select_option("#id_level", "C")
    page.get_by_role("button", name="应用").click()
    page.wait_for_url("**level=C**")  # the page asked again with the filter, not the old one
    chip = page.get_by_test_id("filter-chip")
    assert chip.count() == 1 and "C" in chip.inner_text()
    assert page.locator("[data-list-row]:visible").count() == 6
    chip.click()
    page.wait_for_url(lambda url: "level=C" not in url)
    assert page.get_by_test_id("filter-chip").count() == 0
    assert page.locator("[data-list-row]:visible").count() == ROWS + 1  # and the A one drawn
