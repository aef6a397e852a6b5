import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from inspections.models import Case, CaseNumberCounter
from inspections.services import case_open
from tests.concurrency import run_at_once
from tests.factories import CaseFactory

OPENED = datetime.date(2026, 4, 2)


def _open(employer, inspectors, **kwargs):
    return case_open(
        employer=employer,
        source=kwargs.pop("source", Case.Source.COMPLAINT),
        opened_on=kwargs.pop("opened_on", OPENED),
        inspectors=inspectors,
        created_by=inspectors[0],
        **kwargs,
    )


def test_numbers_follow_the_bureau_format_and_count_per_year(
    employer_lqz, inspector_lqz, inspector_lqz2
):
    pair = [inspector_lqz, inspector_lqz2]
    first = _open(employer_lqz, pair)
    second = _open(employer_lqz, pair)
    # Another year counts from 1 again (an earlier one: a case cannot be opened in the future).
    other_year = _open(employer_lqz, pair, opened_on=datetime.date(2025, 12, 20))
    assert first.number == "西青人社监〔2026〕001号"
    assert second.number == "西青人社监〔2026〕002号"
    assert other_year.number == "西青人社监〔2025〕001号"
    assert set(first.inspectors.all()) == set(pair)
    assert first.history.first().history_user == inspector_lqz


def test_numbers_taken_by_an_import_are_skipped(employer_lqz, inspector_lqz, inspector_lqz2):
    CaseFactory(employer=employer_lqz, number="西青人社监〔2026〕001号")
    CaseFactory(employer=employer_lqz, number="西青人社监〔2026〕002号")
    case = _open(employer_lqz, [inspector_lqz, inspector_lqz2])
    assert case.number == "西青人社监〔2026〕003号"
    assert CaseNumberCounter.objects.get(year=2026).last_number == 3


def test_a_typed_number_already_used_is_a_validation_error(
    employer_lqz, inspector_lqz, inspector_lqz2
):
    CaseFactory(employer=employer_lqz, number="西青人社监〔2026〕007号")
    with pytest.raises(ValidationError) as excinfo:
        _open(employer_lqz, [inspector_lqz, inspector_lqz2], number="西青人社监〔2026〕007号")
    assert "number" in excinfo.value.message_dict
    assert Case.objects.count() == 1


def test_one_inspector_is_refused(employer_lqz, inspector_lqz):
    with pytest.raises(ValidationError) as excinfo:
        _open(employer_lqz, [inspector_lqz])
    assert "inspectors" in excinfo.value.message_dict
    assert not Case.objects.exists()


def test_unknown_violation_item_is_refused(employer_lqz, inspector_lqz, inspector_lqz2):
    with pytest.raises(ValidationError):
        _open(employer_lqz, [inspector_lqz, inspector_lqz2], violation_items=["bribery"])


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite test databases are not shared between threads"
)
@pytest.mark.django_db(transaction=True)
def test_two_users_at_once_get_different_numbers(unit_lqz):
    """Threads with their own connections; on PostgreSQL the counter row lock serialises
    them (run it with DATABASE_URL pointing at PostgreSQL, as CI does)."""
    from tests.conftest import make_user
    from tests.factories import EmployerFactory

    employer = EmployerFactory(unit=unit_lqz)
    pair = [make_user("t1", "inspector"), make_user("t2", "inspector")]
    numbers: list[str] = []

    def worker() -> None:
        for _ in range(3):
            numbers.append(_open(employer, pair).number)

    assert run_at_once(worker, 3) == []
    assert len(numbers) == len(set(numbers)) == 9
