"""Administration in Chromium: an admin makes an inspector who then works in their unit only,
and makes and revokes a partner key that the API honours at once."""

import json
import urllib.error
import urllib.request

import pytest

from employers.models import Unit
from tests.factories import EmployerFactory

from .journey import login, open_as


def _api_status(url: str, key: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Api-Key {key}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            json.loads(response.read())
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_admin_creates_an_inspector_who_sees_only_their_unit(page, live_server, admin_user):
    ylq = Unit.objects.get(name="杨柳青镇")
    lqz = Unit.objects.get(code="120111002")
    EmployerFactory(unit=ylq, name="天津杨柳青年画示例有限公司")
    EmployerFactory(unit=lqz, name="天津李七庄机械示例有限公司")

    open_as(page, live_server, admin_user.username, "/")
    assert page.get_by_test_id("admin-links").is_visible()
    page.goto(f"{live_server.url}/staff/users/")
    page.get_by_test_id("user-new").click()
    page.fill("#id_username", "wang_ylq")
    page.fill("#id_full_name", "王芳")
    page.get_by_label("监察员").check()
    page.get_by_label("杨柳青镇").check()
    page.get_by_test_id("user-save").click()
    page.wait_for_load_state()
    password = page.get_by_test_id("one-time-password").inner_text().strip()
    assert len(password) >= 12

    page.context.clear_cookies()
    login(page, live_server, "wang_ylq", password)
    # an inspector's home is their day
    assert page.get_by_test_id("my-due").is_visible()
    page.goto(f"{live_server.url}/employers/")
    body = page.locator("main").inner_text() if page.locator("main").count() else page.content()
    assert "天津杨柳青年画示例有限公司" in body
    assert "天津李七庄机械示例有限公司" not in body
    assert page.evaluate("document.documentElement.scrollWidth") <= 412


@pytest.mark.django_db(transaction=True)
def test_admin_creates_and_revokes_a_partner_key(page, live_server, admin_user):
    api = f"{live_server.url}/api/v1/ratings/?level=C"
    open_as(page, live_server, admin_user.username, "/ratings/partners/")
    page.get_by_test_id("partner-key-new").click()
    page.fill("#id_partner", "西青区市场监督管理局")
    page.get_by_test_id("partner-key-create").click()
    page.wait_for_load_state()
    key = page.get_by_test_id("partner-key-plain").inner_text().strip()
    assert _api_status(api, key) == 200

    page.goto(f"{live_server.url}/ratings/partners/")
    row = page.get_by_test_id("partner-keys").locator("tr", has_text="西青区市场监督管理局")
    assert key not in page.content()  # shown once only
    row.get_by_role("link", name="吊销").click()
    page.get_by_test_id("confirm-revoke").click()
    page.wait_for_load_state()
    assert _api_status(api, key) == 403
