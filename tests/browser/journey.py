"""Steps that several browser journeys take: logging in and opening a page, the level an
employer's page shows, a penalty recorded on the case form, a patrol that finds unpaid wages,
and the partners' C list read with a key."""

import datetime

from playwright.sync_api import APIResponse, Page


def login(page: Page, live_server, username: str, password: str = "pass-word-123") -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def open_as(page: Page, live_server, username: str, path: str) -> None:
    """Logs in as ``username`` and opens ``path``."""
    login(page, live_server, username)
    page.goto(f"{live_server.url}{path}")


def level_shown(page: Page, live_server, employer) -> str:
    """Opens the employer's page and reads the level its rating panel shows."""
    page.goto(f"{live_server.url}{employer.get_absolute_url()}")
    return page.get_by_test_id("rating-level").inner_text()


def penalty_recorded(
    page: Page, *, number: str, amount: str, decided_on: datetime.date | None = None
) -> None:
    """On the open case form: a fine with its number and amount (and the decision date, when
    given), then saves the case."""
    if decided_on is not None:
        page.fill("#id_decided_on", decided_on.isoformat())
    page.check("#id_penalty_issued")
    page.fill("#id_penalty_number", number)
    page.fill("#id_penalty_amount", amount)
    page.get_by_role("button", name="保存案件").click()
    page.wait_for_load_state()


def patrol_with_wage_problem(page: Page, *, person_met: str, note: str) -> None:
    """On the open patrol form: whom the inspectors met, wages checked with a problem (``note``)
    and a case opened as the outcome; then saves the patrol."""
    page.fill("#id_person_met", person_met)
    page.check("#id_check_wages_1")  # problem found
    page.fill("#id_note_wages", note)
    page.check("#id_outcome_2")  # case opened
    page.get_by_role("button", name="保存巡查记录").click()
    page.wait_for_load_state()


def c_list(page: Page, url: str, key: str) -> APIResponse:
    """The partner API's C list, asked for with ``key``."""
    return page.request.get(
        f"{url}/api/v1/ratings/?level=C", headers={"Authorization": f"Api-Key {key}"}
    )
