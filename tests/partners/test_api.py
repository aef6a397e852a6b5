"""The partner ratings API: GET /api/v1/ratings/?level=C with Authorization: Api-Key <key>."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from partners.models import PartnerAccess, PartnerKey
from partners.services import partner_key_create, partner_key_revoke
from tests.factories import EmployerFactory
from tests.ratings.factories import RatingFactory

URL = "/api/v1/ratings/"


@pytest.fixture(autouse=True)
def _every_c_final(settings):
    # These tests are about keys, fields and paging: every C counts as final here. When a C
    # is final is tested in test_final_listing.py.
    settings.PARTNER_REQUIRE_NOTICE_SERVED = False
    settings.PARTNER_REQUIRE_OBJECTION_PERIOD_PASSED = False


@pytest.fixture
def partner(db) -> tuple[PartnerKey, str]:
    return partner_key_create(name="西青区市场监督管理局")


@pytest.fixture
def ratings_world(unit_lqz, unit_ylq):
    c1 = EmployerFactory(
        unit=unit_lqz,
        name="李七庄C级公司",
        legal_representative="张三",
        contact_phone="13812345678",
        address="李七庄路1号",
    )
    RatingFactory(employer=c1, level="C", clause_codes="C1;C4", since=datetime.date(2026, 9, 3))
    c2 = EmployerFactory(unit=unit_ylq, name="杨柳青C级公司")
    RatingFactory(employer=c2, level="C", clause_codes="C2", since=datetime.date(2026, 10, 8))
    b = EmployerFactory(unit=unit_lqz, name="李七庄B级公司")
    RatingFactory(employer=b, level="B", clause_codes="", since=datetime.date(2026, 1, 2))
    return {"c1": c1, "c2": c2, "b": b}


def _get(client, key: str | None = None, query: str = "", **extra):
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {key}"} if key is not None else {}
    return client.get(URL + query, **headers, **extra)


# --- who gets in ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_no_key_is_401_and_logged_without_key(client, ratings_world):
    response = _get(client)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response.json()["code"] == "key_missing"
    # not redirected to the login page: the login middleware leaves this view alone
    assert "Location" not in response
    access = PartnerAccess.objects.get()
    assert (access.key, access.status_code, access.rows) == (None, 401, 0)
    assert access.path == URL


@pytest.mark.django_db
def test_wrong_key_is_401(client, partner, ratings_world):
    _key, plain = partner
    prefix = plain.split(".")[0]
    for wrong in ("not-a-key", f"{prefix}.wrongsecretwrongsecretwrongsecre", "x" * 200):
        response = _get(client, wrong, "?level=C")
        assert response.status_code == 401
        assert response.json()["code"] == "key_invalid"
    assert list(PartnerAccess.objects.values_list("key", "status_code")) == [(None, 401)] * 3


@pytest.mark.django_db
def test_other_authorization_scheme_is_401(client, partner, ratings_world):
    _key, plain = partner
    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert response.status_code == 401


@pytest.mark.django_db
def test_revoked_key_is_403_and_logged_against_the_key(client, partner, ratings_world):
    key, plain = partner
    assert _get(client, plain).status_code == 200
    partner_key_revoke(key=key)
    response = _get(client, plain)
    assert response.status_code == 403
    assert response.json()["code"] == "key_revoked"
    assert "results" not in response.json()
    last = PartnerAccess.objects.order_by("-id").first()
    assert (last.key_id, last.status_code, last.rows) == (key.pk, 403, 0)


@pytest.mark.django_db
def test_expired_key_is_403(client, partner, ratings_world):
    key, plain = partner
    PartnerKey.objects.filter(pk=key.pk).update(
        expiry_date=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    assert _get(client, plain).status_code == 403


@pytest.mark.django_db
def test_logged_in_session_without_key_is_refused(client_supervisor, ratings_world):
    # No session authentication on the API: a browser login is not a partner key.
    assert _get(client_supervisor).status_code == 401


# --- what a valid key gets -----------------------------------------------------------------


@pytest.mark.django_db
def test_valid_key_reads_the_c_list_with_public_fields(client, partner, ratings_world):
    key, plain = partner
    response = _get(client, plain, "?level=C", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["next"] is None
    by_code = {row["credit_code"]: row for row in body["results"]}
    assert by_code[ratings_world["c1"].credit_code] == {
        "credit_code": ratings_world["c1"].credit_code,
        "name": "李七庄C级公司",
        "unit": "李七庄街道",
        "unit_code": "120111002",
        "level": "C",
        "clauses": ["C1", "C4"],
        "since": "2026-09-03",
        "final_on": "2026-09-03",  # every C is final here (see _every_c_final)
    }
    text = response.content.decode()
    for private in ("张三", "13812345678", "李七庄路1号", "contact", "legal", "case"):
        assert private not in text
    access = PartnerAccess.objects.get()
    assert (access.key_id, access.status_code, access.rows) == (key.pk, 200, 2)
    assert access.query == "level=C"
    assert access.remote_addr == "10.1.2.3"


@pytest.mark.django_db
def test_level_defaults_to_c_and_accepts_a_and_b(client, partner, ratings_world):
    _key, plain = partner
    assert _get(client, plain).json()["count"] == 2
    body = _get(client, plain, "?level=b").json()
    assert [row["name"] for row in body["results"]] == ["李七庄B级公司"]
    assert body["results"][0]["clauses"] == []
    assert _get(client, plain, "?level=A").json()["count"] == 0


@pytest.mark.django_db
def test_bad_level_is_400_and_logged(client, partner, ratings_world):
    _key, plain = partner
    response = _get(client, plain, "?level=D")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_level"
    assert PartnerAccess.objects.get().status_code == 400


@pytest.mark.django_db
def test_pagination(client, partner, unit_lqz):
    _key, plain = partner
    for _n in range(5):
        RatingFactory(employer=EmployerFactory(unit=unit_lqz), level="C")
    first = _get(client, plain, "?level=C&page_size=2").json()
    assert first["count"] == 5
    assert len(first["results"]) == 2
    assert "page=2" in first["next"]
    last = _get(client, plain, "?level=C&page_size=2&page=3").json()
    assert len(last["results"]) == 1
    seen = [r["credit_code"] for r in first["results"]] + [
        r["credit_code"] for r in last["results"]
    ]
    assert len(set(seen)) == 3
    assert _get(client, plain, "?level=C&page=9").status_code == 404
    assert list(PartnerAccess.objects.order_by("id").values_list("status_code", "rows")) == [
        (200, 2),
        (200, 1),
        (404, 0),
    ]


@pytest.mark.django_db
def test_query_count_does_not_grow_with_page_size(
    client, partner, unit_lqz, django_assert_max_num_queries
):
    _key, plain = partner
    for _n in range(30):
        RatingFactory(employer=EmployerFactory(unit=unit_lqz), level="C")
    # key lookup, count, page, access log insert
    with django_assert_max_num_queries(4):
        response = _get(client, plain, "?page_size=30")
    assert len(response.json()["results"]) == 30


@pytest.mark.django_db
@override_settings(PARTNER_API_THROTTLE_RATE="2/minute")
def test_throttled_per_key(client, partner, ratings_world):
    _key, plain = partner
    assert _get(client, plain).status_code == 200
    assert _get(client, plain).status_code == 200
    third = _get(client, plain)
    assert third.status_code == 429
    assert "Retry-After" in third
    # another partner's key has its own allowance
    _other, other_plain = partner_key_create(name="西青区税务局")
    assert _get(client, other_plain).status_code == 200
    assert list(PartnerAccess.objects.order_by("id").values_list("status_code", flat=True)) == [
        200,
        200,
        429,
        200,
    ]


@pytest.mark.django_db
def test_post_is_not_allowed(client, partner, ratings_world):
    _key, plain = partner
    response = client.post(URL, HTTP_AUTHORIZATION=f"Api-Key {plain}")
    assert response.status_code == 405
    assert PartnerAccess.objects.get().status_code == 405


# --- add_partner ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_add_partner_prints_the_key_once_and_stores_only_a_hash(client, ratings_world):
    out, err = StringIO(), StringIO()
    call_command("add_partner", "西青区总工会", stdout=out, stderr=err)
    plain = out.getvalue().strip()
    assert "\n" not in plain
    key = PartnerKey.objects.get()
    assert key.partner == "西青区总工会"
    assert plain.startswith(key.prefix + ".")
    assert plain not in key.hashed_key and plain not in key.id
    assert "cannot be shown again" in err.getvalue()
    assert _get(client, plain).status_code == 200


@pytest.mark.django_db
def test_add_partner_rejects_an_empty_name(db):
    with pytest.raises(CommandError):
        call_command("add_partner", "  ")
    assert not PartnerKey.objects.exists()


@pytest.mark.django_db
def test_add_partner_keeps_long_names(db):
    long_name = "天津市西青区市场监督管理局" * 5
    call_command("add_partner", long_name, stdout=StringIO(), stderr=StringIO())
    key = PartnerKey.objects.get()
    assert key.partner == long_name
    assert len(key.name) == 50
