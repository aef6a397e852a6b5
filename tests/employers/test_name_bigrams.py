"""Two-character name search through the pairs of characters PostgreSQL keeps in each
employer's row (a generated column with a GIN index): the same employers as icontains, kept
current by the database on insert, COPY and rename, and served by the index."""

import pytest
from django.db import connection

from core.bulk import copy_objects
from employers.filters import name_or_code
from employers.models import Employer
from tests.factories import EmployerFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the column is PostgreSQL's"),
]


def _found(text: str) -> set[str]:
    return set(name_or_code(Employer.objects.all(), text).values_list("name", flat=True))


def _pairs(pk: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name_bigrams FROM employers_employer WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_two_characters_find_what_icontains_finds():
    EmployerFactory(name="天津物流有限公司")
    EmployerFactory(name="西青超市")
    EmployerFactory(name="abc Trading")
    EmployerFactory(name="物")
    for text in ("物流", "超市", "BC", "bc", "流有", "津X", "物"):
        expected = set(Employer.objects.filter(name__icontains=text).values_list("name", flat=True))
        assert _found(text) == expected, text


def test_pairs_follow_inserts_copies_and_renames():
    employer = EmployerFactory(name="天津物流abc")
    assert _pairs(employer.pk) == ["天津", "津物", "物流", "流A", "AB", "BC"]
    Employer.objects.filter(pk=employer.pk).update(name="天津超市有限公司")
    assert _found("物流") == set()
    assert _found("超市") == {"天津超市有限公司"}
    template = EmployerFactory.build(name="西青物流中心", unit=employer.unit)
    copy_objects(connection, [template])
    assert _pairs(template.pk) == ["西青", "青物", "物流", "流中", "中心"]
    assert _found("物流") == {"西青物流中心"}


def test_search_is_served_by_the_index():
    EmployerFactory(name="天津物流有限公司")
    query = name_or_code(Employer.objects.order_by(), "物流").values("id").query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "employer_name_bigrams" in plan, plan
