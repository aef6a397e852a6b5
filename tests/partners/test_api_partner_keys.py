"""The admins' page of partner API keys and revoking a key with confirmation."""

import pytest

from partners.models import PartnerAccess, PartnerKey
from partners.services import partner_key_create
from tests.access import assert_sent_to_login
from tests.factories import UserFactory

URL = "/ratings/partners/"


@pytest.fixture
def partner(db) -> tuple[PartnerKey, str]:
    return partner_key_create(name="西青区税务局")


def _revoke_url(key: PartnerKey) -> str:
    return f"{URL}{key.prefix}/revoke/"


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, partner):
    key, _plain = partner
    assert_sent_to_login(client, URL, _revoke_url(key))


@pytest.mark.django_db
@pytest.mark.parametrize("client_name", ["client_lqz", "client_ylq", "client_supervisor"])
def test_only_admins_see_and_revoke_keys(request, client_name, partner):
    client = request.getfixturevalue(client_name)
    key, _plain = partner
    assert client.get(URL).status_code == 403
    assert client.post(_revoke_url(key)).status_code == 403
    key.refresh_from_db()
    assert not key.revoked


@pytest.mark.django_db
def test_user_without_role_is_refused(client_nobody, partner):
    assert client_nobody.get(URL).status_code == 403


@pytest.mark.django_db
def test_admin_sees_keys_with_their_use(client_admin, client, partner):
    key, plain = partner
    client.get("/api/v1/ratings/", HTTP_AUTHORIZATION=f"Api-Key {plain}")
    client.get("/api/v1/ratings/")
    response = client_admin.get(URL)
    assert response.status_code == 200
    shown = {k.prefix: k for k in response.context["keys"]}
    assert shown[key.prefix].access_count == 1
    assert shown[key.prefix].last_access is not None
    html = response.content.decode()
    assert "西青区税务局" in html
    assert plain not in html  # the key itself is never shown again
    assert len(response.context["accesses"]) == 2


@pytest.mark.django_db
def test_revoke_asks_for_confirmation_first(client_admin, partner):
    key, _plain = partner
    response = client_admin.get(_revoke_url(key))
    assert response.status_code == 200
    assert 'data-testid="confirm-revoke"' in response.content.decode()
    key.refresh_from_db()
    assert not key.revoked


@pytest.mark.django_db
def test_admin_revokes_a_key_and_the_api_refuses_it(client_admin, client, admin_user, partner):
    key, plain = partner
    response = client_admin.post(_revoke_url(key))
    assert response.status_code == 302
    assert response["Location"] == URL
    key.refresh_from_db()
    assert key.revoked
    assert key.history.first().history_user == admin_user
    assert client.get("/api/v1/ratings/", HTTP_AUTHORIZATION=f"Api-Key {plain}").status_code == 403
    assert PartnerAccess.objects.get().status_code == 403
    # a second revoke is harmless
    assert client_admin.post(_revoke_url(key)).status_code == 302


@pytest.mark.django_db
def test_unknown_prefix_is_404(client_admin):
    assert client_admin.get(f"{URL}nosuchkey/revoke/").status_code == 404


@pytest.fixture
def superuser_client(client):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(superuser, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.django_db
def test_django_admin_lists_the_partner_and_planning_models(superuser_client, partner):
    for path in (
        "partners/partnerkey",
        "partners/partneraccess",
        "planning/patrolinterval",
        "planning/trainingsession",
    ):
        assert superuser_client.get(f"/admin/{path}/").status_code == 200


@pytest.mark.django_db
def test_django_admin_creates_a_key_and_shows_it_once(superuser_client):
    response = superuser_client.post(
        "/admin/partners/partnerkey/add/",
        {"name": "tax", "partner": "西青区税务局", "expiry_date_0": "", "expiry_date_1": ""},
        follow=True,
    )
    assert response.status_code == 200
    key = PartnerKey.objects.get(partner="西青区税务局")
    shown = [str(m) for m in response.context["messages"]]
    assert any(key.prefix in m for m in shown)
    assert superuser_client.get(f"/admin/partners/partnerkey/{key.pk}/change/").status_code == 200
