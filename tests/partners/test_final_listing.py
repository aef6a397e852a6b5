"""The partner exchange sends a C only once the listing is final: the notice served and the
objection period passed without objection, or the objection decided (国办发〔2020〕49号)."""

import datetime

import pytest
from django.urls import reverse

from partners.services import partner_key_create
from ratings.models import Notice
from ratings.procedure.selectors import ratings_final_for_partners
from ratings.services import employer_rerate
from tests.clock import frozen_today
from tests.conftest import make_user
from tests.ratings import notices
from tests.ratings.cases import penalty_case
from tests.workbooks import xlsx_rows

D = datetime.date
CHANGED = D(2026, 9, 28)
SERVED = D(2026, 9, 30)
# 15 working days from 30 September (the National Day week left out): objections until 27
# October, final from 28 October.
LAST_DAY = D(2026, 10, 27)
FINAL = D(2026, 10, 28)
URL = "/api/v1/ratings/?level=C"


today = frozen_today(D(2026, 12, 1))


@pytest.fixture
def c_employer(employer_lqz):
    penalty_case(employer_lqz, decided=CHANGED, opened=D(2026, 9, 1))
    employer_rerate(employer_id=employer_lqz.pk, cause="case_changed", today=CHANGED)
    return employer_lqz


def serve(notice, user):
    return notices.serve(notice, user, served_on=SERVED)


def c_list_codes(client) -> list[str]:
    response = client.get(reverse("partners:c_list_export"))
    return [row[0] for row in xlsx_rows(response)[1:]]


def listed(day):
    return {r.employer_id: r.final_on for r in ratings_final_for_partners(today=day)}


@pytest.mark.django_db
def test_a_c_is_held_back_until_served_and_the_period_passed(c_employer, inspector_lqz, today):
    assert listed(D(2026, 12, 1)) == {}
    serve(Notice.objects.get(employer=c_employer), inspector_lqz)
    assert listed(LAST_DAY) == {}
    assert listed(FINAL) == {c_employer.pk: FINAL}


@pytest.mark.django_db
def test_an_objection_holds_it_until_decided(c_employer, inspector_lqz, today):
    notice = Notice.objects.get(employer=c_employer)
    serve(notice, inspector_lqz)
    reviewer = make_user("reviewer", "supervisor")
    objection = notices.objection_filed(
        notice, reviewer, received_on=D(2026, 10, 9), user=inspector_lqz
    )
    assert listed(D(2026, 12, 1)) == {}
    notices.objection_decided(objection, reviewer, decided_on=D(2026, 11, 3))
    assert listed(D(2026, 12, 1)) == {c_employer.pk: D(2026, 11, 3)}


@pytest.mark.django_db
def test_each_rule_is_a_setting(c_employer, inspector_lqz, settings, today):
    settings.PARTNER_REQUIRE_OBJECTION_PERIOD_PASSED = False
    assert listed(D(2026, 12, 1)) == {}
    serve(Notice.objects.get(employer=c_employer), inspector_lqz)
    assert listed(SERVED) == {c_employer.pk: SERVED}
    settings.PARTNER_REQUIRE_NOTICE_SERVED = False
    assert listed(SERVED) == {c_employer.pk: c_employer.rating.since}


@pytest.mark.django_db
def test_the_api_and_the_export_hold_back_and_release(
    client, client_supervisor, c_employer, inspector_lqz, today
):
    _key, plain = partner_key_create(name="西青区市场监督管理局")
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {plain}"}
    assert client.get(URL, **headers).json()["results"] == []
    assert c_list_codes(client_supervisor) == []
    serve(Notice.objects.get(employer=c_employer), inspector_lqz)
    rows = client.get(URL, **headers).json()["results"]
    assert [(r["credit_code"], r["final_on"], r["since"]) for r in rows] == [
        (c_employer.credit_code, FINAL.isoformat(), c_employer.rating.since.isoformat())
    ]
    assert c_list_codes(client_supervisor) == [c_employer.credit_code]
    # the other levels are no listing: no final date
    b_rows = client.get("/api/v1/ratings/?level=A", **headers).json()["results"]
    assert all(row["final_on"] is None for row in b_rows)
