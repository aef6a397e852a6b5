"""User administration in the browser (admins only) and partner keys made there."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from core.roles import Role, roles_of
from partners.models import PartnerKey
from tests.access import assert_sent_to_login

PAGES = ["/staff/", "/staff/users/", "/staff/users/new/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize(
    ("client_name", "status"),
    [("client_lqz", 403), ("client_ylq", 403), ("client_supervisor", 403), ("client_admin", 200)],
)
def test_only_admins_open_the_pages(request, url, client_name, status):
    assert request.getfixturevalue(client_name).get(url).status_code == status


@pytest.mark.django_db
def test_anonymous_goes_to_login(client):
    assert_sent_to_login(client, "/staff/users/")


@pytest.mark.django_db
def test_created_inspector_logs_in_and_sees_only_their_unit(
    client_admin, unit_lqz, unit_ylq, employer_lqz, employer_ylq
):
    response = client_admin.post(
        "/staff/users/new/",
        {
            "username": "zhang_ylq",
            "full_name": "张敏",
            "role": Role.INSPECTOR,
            "units": [unit_ylq.pk],
        },
    )
    assert response.status_code == 200
    password = response.context["password"]
    assert password and password in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    user = get_user_model().objects.get(username="zhang_ylq")
    assert roles_of(user) == {Role.INSPECTOR}
    assert list(user.units.values_list("code", flat=True)) == [unit_ylq.code]
    assert not user.is_staff
    fresh = Client()
    assert fresh.login(username="zhang_ylq", password=password)
    html = fresh.get("/employers/").content.decode()
    assert employer_ylq.name in html
    assert employer_lqz.name not in html


@pytest.mark.django_db
def test_inspector_without_unit_is_refused_with_a_message(client_admin):
    response = client_admin.post(
        "/staff/users/new/", {"username": "nounit", "role": Role.INSPECTOR}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["units"]
    assert not get_user_model().objects.filter(username="nounit").exists()


@pytest.mark.django_db
def test_edit_role_and_units(client_admin, inspector_lqz, unit_ylq):
    response = client_admin.post(
        f"/staff/users/{inspector_lqz.pk}/",
        {"username": "ignored", "role": Role.INSPECTOR, "units": [unit_ylq.pk]},
    )
    assert response.status_code == 302
    inspector_lqz.refresh_from_db()
    assert inspector_lqz.username == "insp_lqz"  # the username cannot be changed
    assert list(inspector_lqz.units.values_list("code", flat=True)) == [unit_ylq.code]


@pytest.mark.django_db
def test_deactivate_asks_first_then_blocks_login(client_admin, inspector_lqz):
    url = f"/staff/users/{inspector_lqz.pk}/deactivate/"
    response = client_admin.get(url)
    assert response.status_code == 200 and 'data-testid="confirm"' in response.content.decode()
    inspector_lqz.refresh_from_db()
    assert inspector_lqz.is_active
    assert client_admin.post(url).status_code == 302
    inspector_lqz.refresh_from_db()
    assert not inspector_lqz.is_active
    assert not Client().login(username="insp_lqz", password="pass-word-123")


@pytest.mark.django_db
def test_admin_cannot_deactivate_themselves(client_admin, admin_user):
    client_admin.post(f"/staff/users/{admin_user.pk}/deactivate/")
    admin_user.refresh_from_db()
    assert admin_user.is_active


@pytest.mark.django_db
def test_new_password_is_shown_once_and_works(client_admin, inspector_lqz):
    response = client_admin.post(f"/staff/users/{inspector_lqz.pk}/password/")
    password = response.context["password"]
    assert Client().login(username="insp_lqz", password=password)
    assert not Client().login(username="insp_lqz", password="pass-word-123")


@pytest.mark.django_db
def test_unlock_clears_failed_logins(client_admin, inspector_lqz):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username="insp_lqz",
        ip_address="10.0.0.1",
        user_agent="x",
        failures_since_start=9,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
    )
    html = client_admin.get(f"/staff/users/{inspector_lqz.pk}/").content.decode()
    assert 'data-testid="unlock"' in html
    client_admin.post(f"/staff/users/{inspector_lqz.pk}/unlock/")
    assert not AccessAttempt.objects.filter(username="insp_lqz").exists()


@pytest.mark.django_db
def test_users_post_refused_to_non_admins(client_supervisor, inspector_lqz):
    assert client_supervisor.post(f"/staff/users/{inspector_lqz.pk}/deactivate/").status_code == 403
    inspector_lqz.refresh_from_db()
    assert inspector_lqz.is_active


@pytest.mark.django_db
def test_partner_key_created_in_the_browser_is_shown_once(client_admin, client_supervisor):
    assert client_supervisor.get("/ratings/partners/new/").status_code == 403
    response = client_admin.post("/ratings/partners/new/", {"partner": "西青区市场监督管理局"})
    assert response.status_code == 200
    plain = response.context["plain"]
    key = PartnerKey.objects.get(partner="西青区市场监督管理局")
    assert PartnerKey.objects.get_from_key(plain) == key
    # the list never shows it again
    assert plain not in client_admin.get("/ratings/partners/").content.decode()
    assert client_admin.post("/ratings/partners/new/", {"partner": " "}).context["error"]


@pytest.mark.django_db
def test_add_user_command_uses_the_same_service(unit_ylq):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("add_user", "cmd_user", role="inspector", unit=[unit_ylq.code], stdout=out)
    line = out.getvalue().strip()
    assert line.startswith(f"created cmd_user role=inspector units={unit_ylq.code} password=")
