"""条例 Art. 9: the complainant's identity, everywhere it could leak.

Allowed: the inspectors assigned to the complaint and supervisors, and each time they are
shown it, it is logged. Everybody else (another inspector of the same unit, admins) and every
shared place (the ledger, the employer page, the case) sees 张*明 / 138****1234 / 1201****...
"""

import pytest

from complaints.models import IdentityAccess
from inspections.models import Case
from tests.workbooks import xlsx_rows

from .factories import COMPLAINANT

pytestmark = pytest.mark.django_db

NAME = COMPLAINANT["complainant_name"]
PHONE = COMPLAINANT["complainant_phone"]
ID_NUMBER = COMPLAINANT["complainant_id_number"]
ADDRESS = COMPLAINANT["complainant_address"]
SECRETS = (NAME, PHONE, ID_NUMBER, ADDRESS)


def assert_masked(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, secret
    assert "张*明" in text


def export_rows(client, *, identity: bool = False) -> list[tuple]:
    response = client.get("/complaints/export.xlsx", {"identity": "1"} if identity else {})
    assert response.status_code == 200
    return xlsx_rows(response)


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.mark.parametrize(
    "client_name", ["client_lqz", "client_lqz3", "client_supervisor", "client_admin"]
)
def test_ledger_list_is_masked_for_everyone(request, client_name, complaint_lqz):
    assert_masked(page(request.getfixturevalue(client_name), "/complaints/"))


@pytest.mark.parametrize(
    "client_name", ["client_lqz", "client_lqz3", "client_supervisor", "client_admin"]
)
def test_employer_panel_is_masked_for_everyone(request, client_name, complaint_lqz, employer_lqz):
    body = page(request.getfixturevalue(client_name), f"/employers/{employer_lqz.credit_code}/")
    assert complaint_lqz.number in body
    assert_masked(body)


@pytest.mark.parametrize("client_name", ["client_lqz3", "client_admin"])
def test_detail_masked_for_those_not_allowed_even_when_asking(request, client_name, complaint_lqz):
    client = request.getfixturevalue(client_name)
    for path in (f"/complaints/{complaint_lqz.pk}/", f"/complaints/{complaint_lqz.pk}/?identity=1"):
        body = page(client, path)
        assert_masked(body)
        assert "1201**********1234" in body and "138****1234" in body
    assert not IdentityAccess.objects.exists()


@pytest.mark.parametrize("client_name", ["client_lqz", "client_supervisor"])
def test_detail_unmasked_on_request_for_allowed_and_logged(request, client_name, complaint_lqz):
    client = request.getfixturevalue(client_name)
    user = client.get("/complaints/").wsgi_request.user
    first = page(client, f"/complaints/{complaint_lqz.pk}/")
    assert_masked(first)
    assert 'data-testid="reveal-identity"' in first
    assert not IdentityAccess.objects.exists()
    revealed = page(client, f"/complaints/{complaint_lqz.pk}/?identity=1")
    for secret in SECRETS:
        assert secret in revealed
    access = IdentityAccess.objects.get()
    assert (access.user, access.complaint, access.via) == (user, complaint_lqz, "detail")


def test_description_is_redacted_for_those_not_allowed(client_lqz3, complaint_lqz):
    body = page(client_lqz3, f"/complaints/{complaint_lqz.pk}/")
    assert "拖欠12名工人三个月工资" in body
    assert_masked(body)


def test_colleague_assigned_on_acceptance_sees_identity(accepted_lqz, client_lqz3):
    from tests.conftest import _client_for

    colleague = accepted_lqz.inspectors.get(username="insp_lqz2")
    body = page(_client_for(colleague), f"/complaints/{accepted_lqz.pk}/?identity=1")
    assert NAME in body
    assert_masked(page(client_lqz3, f"/complaints/{accepted_lqz.pk}/?identity=1"))


def test_case_opened_from_complaint_carries_no_identity(accepted_lqz):
    case = Case.objects.get()
    for secret in SECRETS:
        assert secret not in case.facts


def test_export_masks_rows_the_user_may_not_see(client_lqz3, client_admin, complaint_lqz):
    for client in (client_lqz3, client_admin):
        rows = export_rows(client, identity=True)
        assert len(rows) == 2
        assert_masked(repr(rows))
    assert not IdentityAccess.objects.exists()


def test_export_unmasks_for_allowed_rows_only_and_logs_them(
    client_lqz, inspector_lqz, inspector_lqz3, complaint_lqz, employer_lqz
):
    from .factories import register

    other = register(
        user=inspector_lqz3,
        employer=employer_lqz,
        complainant_name="王五",
        complainant_phone="13711112222",
        complainant_id_number="120111198001012222",
    )
    rows = export_rows(client_lqz, identity=True)
    by_number = {row[0]: row for row in rows[1:]}
    assert NAME in by_number[complaint_lqz.number] and PHONE in by_number[complaint_lqz.number]
    assert "王*" in by_number[other.number] and "13711112222" not in repr(by_number[other.number])
    logged = list(IdentityAccess.objects.values_list("complaint", "user", "via"))
    assert logged == [(complaint_lqz.pk, inspector_lqz.pk, "export")]


def test_export_is_masked_for_everyone_by_default(
    client_supervisor, client_lqz, client_admin, complaint_lqz
):
    for client in (client_supervisor, client_lqz, client_admin):
        assert_masked(repr(export_rows(client)))
    assert not IdentityAccess.objects.exists()


def test_supervisor_export_with_identity_is_unmasked_and_logged(
    client_supervisor, supervisor, complaint_lqz
):
    rows = export_rows(client_supervisor, identity=True)
    assert NAME in rows[1] and ID_NUMBER in rows[1]
    assert IdentityAccess.objects.filter(user=supervisor, via="export").count() == 1


def test_admin_asking_for_identity_still_gets_it_masked(client_admin, complaint_lqz):
    assert_masked(repr(export_rows(client_admin, identity=True)))
    assert not IdentityAccess.objects.exists()


def test_ledger_offers_the_identity_export_only_to_those_who_may_see_identities(
    client_supervisor, client_lqz, client_admin
):
    assert 'data-testid="identity-export"' in page(client_supervisor, "/complaints/")
    assert 'data-testid="identity-export"' in page(client_lqz, "/complaints/")
    assert 'data-testid="identity-export"' not in page(client_admin, "/complaints/")


def test_history_masks_for_others_and_logs_for_allowed(
    client_lqz, client_lqz3, client_admin, complaint_lqz, inspector_lqz
):
    # A correction of the phone number: the old and new values are both identity.
    complaint_lqz.complainant_phone = "13899998888"
    complaint_lqz._history_user = inspector_lqz
    complaint_lqz.save()
    for client in (client_lqz3, client_admin):
        body = page(client, f"/complaints/{complaint_lqz.pk}/history/")
        assert "13899998888" not in body and PHONE not in body
        assert "138****8888" in body and "138****1234" in body
    assert not IdentityAccess.objects.exists()
    body = page(client_lqz, f"/complaints/{complaint_lqz.pk}/history/")
    assert "13899998888" in body and PHONE in body
    assert IdentityAccess.objects.get().via == "history"


def test_admin_site_shows_only_masked_identity(client_admin, complaint_lqz, admin_user):
    # The admin site is for superusers (Django's own permission checks).
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    listing = page(client_admin, "/admin/complaints/complaint/")
    assert complaint_lqz.number in listing
    assert_masked(listing)
    change = page(client_admin, f"/admin/complaints/complaint/{complaint_lqz.pk}/change/")
    for secret in SECRETS:
        assert secret not in change
    # No admin history of the complaint rows: simple-history's admin view is not registered.
    history = client_admin.get(f"/admin/complaints/complaint/{complaint_lqz.pk}/history/")
    for secret in SECRETS:
        assert secret not in history.content.decode()


def test_supervisor_sees_the_access_log_inspectors_do_not(
    client_lqz, client_supervisor, complaint_lqz
):
    client_lqz.get(f"/complaints/{complaint_lqz.pk}/?identity=1")
    assert 'data-testid="identity-accesses"' in page(
        client_supervisor, f"/complaints/{complaint_lqz.pk}/"
    )
    assert 'data-testid="identity-accesses"' not in page(
        client_lqz, f"/complaints/{complaint_lqz.pk}/"
    )
