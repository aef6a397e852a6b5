"""Create, edit and deregister an employer: every role on every view."""

import pytest
from django.test import Client

from employers.models import Employer
from tests.factories import EmployerFactory

NEW_CODE = "911201117706402073"


def _form_data(unit, **overrides) -> dict:
    data = {
        "credit_code": NEW_CODE,
        "name": "天津新登记测试有限公司",
        "kind": "enterprise",
        "unit": unit.pk,
        "address": "",
        "legal_representative": "",
        "contact_person": "",
        "contact_phone": "",
        "headcount": "",
        "industry": "",
        "established_on": "",
        "verified_on": "",
    }
    data.update(overrides)
    return data


# ---- create ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_inspector_creates_in_own_unit_with_normalised_values(client_lqz, unit_lqz, inspector_lqz):
    response = client_lqz.post(
        "/employers/new/",
        _form_data(
            unit_lqz,
            credit_code=" ９１１２０１１１７７０６４０２０７３ ",
            name=" 天津（新）测试有限公司 ",
            contact_phone="1.3812345678E10",
        ),
    )
    employer = Employer.objects.get(credit_code=NEW_CODE)
    assert response.status_code == 302
    assert response["Location"] == f"/employers/{NEW_CODE}/"
    assert employer.name == "天津(新)测试有限公司"
    assert employer.contact_phone == "13812345678"
    assert employer.unit == unit_lqz
    assert employer.history.get().history_user == inspector_lqz


@pytest.mark.django_db
def test_inspector_cannot_create_in_another_unit(client_lqz, unit_ylq):
    response = client_lqz.post("/employers/new/", _form_data(unit_ylq))
    assert response.status_code == 200
    assert not Employer.objects.exists()
    assert "error-unit" in response.content.decode()


@pytest.mark.django_db
def test_invalid_code_is_explained_in_chinese(client_lqz, unit_lqz):
    response = client_lqz.post(
        "/employers/new/", _form_data(unit_lqz, credit_code="91120111MAXNRUE49G")
    )
    assert response.status_code == 200
    assert "校验位错误" in response.content.decode()
    response = client_lqz.post(
        "/employers/new/", _form_data(unit_lqz, credit_code="120111600123456")
    )
    assert "15位" in response.content.decode()
    assert not Employer.objects.exists()


@pytest.mark.django_db
def test_duplicate_code_is_refused(client_admin, unit_lqz, employer_ylq):
    response = client_admin.post(
        "/employers/new/", _form_data(unit_lqz, credit_code=employer_ylq.credit_code)
    )
    assert response.status_code == 200
    assert "已经登记" in response.content.decode()
    assert Employer.objects.count() == 1


@pytest.mark.django_db
def test_admin_creates_anywhere(client_admin, unit_ylq):
    response = client_admin.post("/employers/new/", _form_data(unit_ylq))
    assert response.status_code == 302
    assert Employer.objects.get().unit == unit_ylq


@pytest.mark.django_db
def test_supervisor_cannot_create(client_supervisor, unit_lqz):
    assert client_supervisor.get("/employers/new/").status_code == 403
    assert client_supervisor.post("/employers/new/", _form_data(unit_lqz)).status_code == 403
    assert not Employer.objects.exists()


@pytest.mark.django_db
def test_anonymous_and_roleless_cannot_create(unit_lqz, client_nobody):
    assert Client().get("/employers/new/").status_code == 302
    assert client_nobody.get("/employers/new/").status_code == 404


@pytest.mark.django_db
def test_list_shows_add_button_by_role(client_lqz, client_supervisor, client_admin):
    assert "/employers/new/" in client_lqz.get("/employers/").content.decode()
    assert "/employers/new/" in client_admin.get("/employers/").content.decode()
    assert "/employers/new/" not in client_supervisor.get("/employers/").content.decode()


# ---- edit -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_inspector_edits_own_employer(client_lqz, employer_lqz, inspector_lqz):
    url = f"/employers/{employer_lqz.credit_code}/edit/"
    assert client_lqz.get(url).status_code == 200
    data = _form_data(
        employer_lqz.unit,
        credit_code="ignored",
        name=employer_lqz.name,
        headcount="120",
        contact_phone="022-27390000",
    )
    response = client_lqz.post(url, data)
    assert response.status_code == 302
    employer_lqz.refresh_from_db()
    assert employer_lqz.headcount == 120
    assert employer_lqz.contact_phone == "022-27390000"
    assert employer_lqz.credit_code != "ignored"
    latest = employer_lqz.history.first()
    assert latest.history_user == inspector_lqz
    assert latest.history_type == "~"


@pytest.mark.django_db
def test_inspector_cannot_edit_other_units(client_lqz, employer_ylq):
    url = f"/employers/{employer_ylq.credit_code}/edit/"
    assert client_lqz.get(url).status_code == 404
    assert client_lqz.post(url, _form_data(employer_ylq.unit, name="x")).status_code == 404
    employer_ylq.refresh_from_db()
    assert employer_ylq.name != "x"


@pytest.mark.django_db
def test_inspector_cannot_move_employer_out_of_own_units(client_lqz, employer_lqz, unit_ylq):
    url = f"/employers/{employer_lqz.credit_code}/edit/"
    response = client_lqz.post(url, _form_data(unit_ylq, name=employer_lqz.name))
    assert response.status_code == 200
    employer_lqz.refresh_from_db()
    assert employer_lqz.unit.code == "120111002"


@pytest.mark.django_db
def test_supervisor_reads_but_cannot_edit(client_supervisor, employer_lqz):
    detail = client_supervisor.get(f"/employers/{employer_lqz.credit_code}/").content.decode()
    assert "/edit/" not in detail
    url = f"/employers/{employer_lqz.credit_code}/edit/"
    assert client_supervisor.get(url).status_code == 403
    assert client_supervisor.post(url, _form_data(employer_lqz.unit, name="x")).status_code == 403


@pytest.mark.django_db
def test_admin_edits_any_employer(client_admin, employer_ylq):
    url = f"/employers/{employer_ylq.credit_code}/edit/"
    response = client_admin.post(url, _form_data(employer_ylq.unit, name="改名后的单位"))
    assert response.status_code == 302
    employer_ylq.refresh_from_db()
    assert employer_ylq.name == "改名后的单位"


@pytest.mark.django_db
def test_anonymous_cannot_edit(employer_lqz):
    response = Client().get(f"/employers/{employer_lqz.credit_code}/edit/")
    assert response.status_code == 302


# ---- deregister ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_deregister_asks_then_marks_not_deletes(client_lqz, employer_lqz):
    url = f"/employers/{employer_lqz.credit_code}/deregister/"
    page = client_lqz.get(url)
    assert page.status_code == 200
    assert "确定" in page.content.decode()
    employer_lqz.refresh_from_db()
    assert employer_lqz.status == Employer.Status.ACTIVE  # GET changes nothing
    assert client_lqz.post(url).status_code == 302
    employer_lqz.refresh_from_db()
    assert employer_lqz.status == Employer.Status.DEREGISTERED
    assert Employer.objects.filter(pk=employer_lqz.pk).exists()


@pytest.mark.django_db
def test_deregister_by_role(client_ylq, client_supervisor, client_admin, employer_lqz):
    url = f"/employers/{employer_lqz.credit_code}/deregister/"
    assert client_ylq.post(url).status_code == 404
    assert client_supervisor.post(url).status_code == 403
    assert Client().post(url).status_code == 302
    employer_lqz.refresh_from_db()
    assert employer_lqz.status == Employer.Status.ACTIVE
    assert client_admin.post(url).status_code == 302
    employer_lqz.refresh_from_db()
    assert employer_lqz.status == Employer.Status.DEREGISTERED


@pytest.mark.django_db
def test_detail_shows_deregister_only_to_editors(client_lqz, client_supervisor, employer_lqz):
    url = f"/employers/{employer_lqz.credit_code}/"
    assert "/deregister/" in client_lqz.get(url).content.decode()
    assert "/deregister/" not in client_supervisor.get(url).content.decode()


@pytest.mark.django_db
def test_edit_form_query_count(client_admin, django_assert_max_num_queries):
    employer = EmployerFactory()
    with django_assert_max_num_queries(12):
        assert client_admin.get(f"/employers/{employer.credit_code}/edit/").status_code == 200
