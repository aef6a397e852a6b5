"""An inspector of 李七庄 cannot list, open, edit or export an employer of 杨柳青."""

import pytest
from django.test import Client

from employers.models import Employer
from tests.access import assert_sent_to_login
from tests.workbooks import xlsx_rows


@pytest.mark.django_db
def test_inspector_lists_only_own_units(client_lqz, employer_lqz, employer_ylq):
    page = client_lqz.get("/employers/")
    assert page.status_code == 200
    body = page.content.decode()
    assert employer_lqz.name in body
    assert employer_ylq.name not in body


@pytest.mark.django_db
def test_inspector_cannot_open_other_units_employer(client_lqz, employer_ylq):
    assert client_lqz.get(f"/employers/{employer_ylq.credit_code}/").status_code == 404


@pytest.mark.django_db
def test_inspector_opens_own_employer(client_lqz, employer_lqz):
    page = client_lqz.get(f"/employers/{employer_lqz.credit_code}/")
    assert page.status_code == 200
    assert employer_lqz.name in page.content.decode()


@pytest.mark.django_db
def test_search_does_not_reveal_other_units(client_lqz, employer_ylq):
    page = client_lqz.get("/employers/", {"q": employer_ylq.credit_code})
    assert employer_ylq.name not in page.content.decode()


@pytest.mark.django_db
def test_export_contains_only_own_units(client_lqz, employer_lqz, employer_ylq):
    response = client_lqz.get("/employers/export.xlsx")
    assert response.status_code == 200
    codes = {row[0] for row in xlsx_rows(response)[1:]}
    assert codes == {employer_lqz.credit_code}


@pytest.mark.django_db
def test_supervisor_sees_whole_district(client_supervisor, employer_lqz, employer_ylq):
    body = client_supervisor.get("/employers/").content.decode()
    assert employer_lqz.name in body and employer_ylq.name in body


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(employer_lqz):
    assert_sent_to_login(Client(), f"/employers/{employer_lqz.credit_code}/")


@pytest.mark.django_db
def test_visible_to_queryset(inspector_lqz, supervisor, employer_lqz, employer_ylq):
    assert list(Employer.objects.visible_to(inspector_lqz)) == [employer_lqz]
    assert Employer.objects.visible_to(supervisor).count() == 2
    assert Employer.objects.editable_by(supervisor).count() == 0
    assert list(Employer.objects.editable_by(inspector_lqz)) == [employer_lqz]


@pytest.mark.django_db
def test_employer_list_query_count_does_not_grow(client_supervisor, django_assert_max_num_queries):
    from tests.factories import EmployerFactory

    EmployerFactory.create_batch(60)
    with django_assert_max_num_queries(12):
        assert client_supervisor.get("/employers/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/employers/", id="list-unit-filter"),
        pytest.param("/employers/new/", id="create-form"),
    ],
)
def test_inspector_is_offered_only_own_units(client_lqz, path):
    body = client_lqz.get(path).content.decode()
    assert "李七庄街道" in body
    assert "杨柳青镇" not in body


@pytest.mark.django_db
def test_district_total_is_shared_briefly_but_rows_are_current(client_supervisor, client_lqz):
    from django.core.cache import cache

    from tests.factories import EmployerFactory

    cache.delete("employers:district-count")
    EmployerFactory.create_batch(3)
    assert "共 3 家" in client_supervisor.get("/employers/").content.decode()
    newest = EmployerFactory(name="天津新近登记测试有限公司")
    body = client_supervisor.get("/employers/").content.decode()
    assert newest.name in body  # the rows are read afresh
    assert "共 3 家" in body  # the district total is the cached one
    # a filtered list and an inspector's list count exactly
    assert (
        "共 4 家" in client_supervisor.get("/employers/", {"kind": "enterprise"}).content.decode()
    )
    cache.delete("employers:district-count")
