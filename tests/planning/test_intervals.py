"""Patrol intervals by level (/ratings/intervals/), editable by admins only."""

import pytest
from django.urls import reverse

from planning.models import PatrolInterval
from tests.access import assert_sent_to_login

URL = "/ratings/intervals/"


def _months() -> dict[str, int]:
    return dict(PatrolInterval.objects.values_list("level", "months"))


@pytest.mark.django_db
def test_defaults_are_seeded():
    assert _months() == {"A": 24, "B": 12, "C": 3}


@pytest.mark.django_db
def test_url_name():
    assert reverse("planning:intervals") == URL


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    assert_sent_to_login(client, URL)


@pytest.mark.django_db
def test_user_without_role_gets_404(client_nobody):
    assert client_nobody.get(URL).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("client_name", ["client_lqz", "client_ylq", "client_supervisor"])
def test_only_admins_may_change_intervals(request, client_name):
    client = request.getfixturevalue(client_name)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"months_A": 1, "months_B": 1, "months_C": 1})
    assert response.status_code == 403
    assert _months() == {"A": 24, "B": 12, "C": 3}


@pytest.mark.django_db
def test_admin_sees_current_values(client_admin):
    response = client_admin.get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert [form[f"months_{lvl}"].value() for lvl in "ABC"] == [24, 12, 3]


@pytest.mark.django_db
def test_admin_changes_an_interval_and_it_is_recorded(client_admin, admin_user):
    response = client_admin.post(URL, {"months_A": 24, "months_B": 6, "months_C": 2})
    assert response.status_code == 302
    assert response["Location"] == URL
    assert _months() == {"A": 24, "B": 6, "C": 2}
    # who changed what, for the audit trail
    latest = PatrolInterval.objects.get(level="B").history.first()
    assert latest.months == 6
    assert latest.history_user == admin_user
    assert PatrolInterval.objects.get(level="A").history.count() == 0
    page = client_admin.get(URL).content.decode()
    assert "B" in page and "C" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"months_A": 0, "months_B": 12, "months_C": 3}, "months_A", "至少"),
        ({"months_A": 24, "months_B": 12, "months_C": 61}, "months_C", "60"),
        ({"months_A": "半年", "months_B": 12, "months_C": 3}, "months_A", "整数"),
        ({"months_A": 24, "months_B": "", "months_C": 3}, "months_B", "B"),
        ({"months_A": 6, "months_B": 12, "months_C": 3}, "months_A", "B"),
        ({"months_A": 24, "months_B": 2, "months_C": 3}, "months_B", "C"),
    ],
)
def test_invalid_values_are_refused_with_a_message_naming_the_level(
    client_admin, data, field, message
):
    response = client_admin.post(URL, data)
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in str(error) for error in errors)
    assert _months() == {"A": 24, "B": 12, "C": 3}


@pytest.mark.django_db
def test_unchanged_submit_changes_nothing(client_admin):
    response = client_admin.post(URL, {"months_A": 24, "months_B": 12, "months_C": 3}, follow=True)
    assert response.status_code == 200
    assert PatrolInterval.objects.get(level="C").history.count() == 0
