"""Two-character name search through the bigram table (PostgreSQL): the same employers as
icontains, the table kept by the triggers on insert, rename, delete."""

import pytest
from django.db import connection

from employers.filters import name_or_code
from employers.models import Employer
from tests.factories import EmployerFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the table is PostgreSQL's"),
]


def _found(text: str) -> set[str]:
    return set(name_or_code(Employer.objects.all(), text).values_list("name", flat=True))


def test_two_characters_find_what_icontains_finds():
    EmployerFactory(name="天津物流有限公司")
    EmployerFactory(name="西青超市")
    EmployerFactory(name="abc Trading")
    for text in ("物流", "超市", "BC", "bc", "流有", "津X"):
        expected = set(Employer.objects.filter(name__icontains=text).values_list("name", flat=True))
        assert _found(text) == expected, text


def test_triggers_follow_renames_and_deletes():
    employer = EmployerFactory(name="天津物流有限公司")
    assert _found("物流") == {"天津物流有限公司"}
    Employer.objects.filter(pk=employer.pk).update(name="天津超市有限公司")
    assert _found("物流") == set()
    assert _found("超市") == {"天津超市有限公司"}
    Employer.objects.filter(pk=employer.pk).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM employers_name_bigram WHERE employer_id = %s", [employer.pk]
        )
        assert cursor.fetchone()[0] == 0
