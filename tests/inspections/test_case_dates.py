"""Evidence dates that can be true: refused in the form, by the model and by the database;
existing bad rows are listed, never changed."""

import datetime
import importlib
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.dates import local_today
from inspections.models import Case, case_date_errors
from tests.factories import CaseFactory

from .case_posts import assert_refused_on, case_form

pytestmark = pytest.mark.django_db

TOMORROW = local_today() + datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"decided_on": TOMORROW.isoformat(), "order_deadline": ""}, "decided_on"),
        ({"opened_on": TOMORROW.isoformat()}, "opened_on"),
        ({"order_rectified_on": "2026-03-05"}, "order_rectified_on"),
        ({"order_rectified_on": TOMORROW.isoformat()}, "order_rectified_on"),
        ({"decided_on": "2026-02-20"}, "decided_on"),
        (
            {
                "decision_issued": "on",
                "decision_number": "津西人社处〔2026〕1号",
                "decision_deadline": "2026-04-01",
                "decision_fulfilled_on": "2026-03-09",
            },
            "decision_fulfilled_on",
        ),
    ],
)
def test_the_case_form_refuses_impossible_dates_on_their_field(post_new_case, overrides, field):
    assert_refused_on(post_new_case(**overrides), field)


def test_a_future_deadline_is_fine(post_new_case):
    post_new_case(order_deadline=TOMORROW.isoformat())
    assert Case.objects.get().order_deadline == TOMORROW


def test_one_function_names_each_field():
    today = datetime.date(2026, 5, 1)
    errors = case_date_errors(
        {
            "opened_on": datetime.date(2026, 3, 1),
            "decided_on": datetime.date(2026, 5, 2),
            "order_deadline": datetime.date(2026, 2, 1),
            "order_rectified_on": datetime.date(2026, 2, 15),
        },
        today=today,
    )
    assert set(errors) == {"decided_on", "order_deadline", "order_rectified_on"}
    assert "2026-05-02" in errors["decided_on"]
    assert case_date_errors({"opened_on": today, "order_deadline": today}, today=today) == {}


def test_model_clean_refuses_a_future_decision(employer_lqz):
    case = CaseFactory.build(
        employer=employer_lqz,
        opened_on=local_today(),
        decided_on=TOMORROW,
        penalty_issued=True,
    )
    with pytest.raises(ValidationError) as excinfo:
        case.full_clean()
    assert set(excinfo.value.message_dict) == {"decided_on"}


@pytest.mark.parametrize(
    "values",
    [
        {"order_issued": True, "order_rectified_on": datetime.date(2026, 3, 5)},
        {"decision_issued": True, "decision_fulfilled_on": datetime.date(2026, 3, 5)},
        {"order_issued": True, "order_deadline": datetime.date(2026, 2, 1), "decided_on": None},
        {"closed_on": datetime.date(2026, 2, 1)},
    ],
)
def test_the_database_refuses_dates_out_of_order(employer_lqz, values):
    base = {"opened_on": datetime.date(2026, 3, 1), "decided_on": datetime.date(2026, 3, 10)}
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.bulk_create(
            [Case(employer=employer_lqz, number="x", source="special", **{**base, **values})]
        )


def test_check_case_dates_lists_cases_dated_in_the_future(employer_lqz):
    CaseFactory(employer=employer_lqz, number="FINE-1", opened_on=datetime.date(2026, 3, 1))
    Case.objects.bulk_create(
        [Case(employer=employer_lqz, number="FUTURE-1", source="special", opened_on=TOMORROW)]
    )
    out = StringIO()
    call_command("check_case_dates", stdout=out)
    text = out.getvalue()
    assert "FUTURE-1" in text and "opened_on" in text
    assert "FINE-1" not in text


def test_the_migration_stops_and_names_the_cases_and_the_command(employer_lqz):
    """The constraints exist in the test database, so the bad row is simulated: the pre-check
    runs on a model whose table has none of them (an unmanaged copy would need DDL); here the
    case is seen through a query that reports it."""
    migration = importlib.import_module("inspections.migrations.0003_case_dates_can_be_true")

    class BadRows:
        @staticmethod
        def filter(**lookup):
            class Numbers:
                @staticmethod
                def values_list(*args, **kwargs) -> list[str]:
                    return ["西青人社监〔2025〕007号"] if "order_rectified_on__lt" in lookup else []

            return Numbers

    class Model:
        objects = BadRows

    class Apps:
        def get_model(self, app: str, name: str) -> type:
            return Model

    with pytest.raises(RuntimeError) as excinfo:
        migration.refuse_impossible_dates(Apps(), None)
    assert "西青人社监〔2025〕007号" in str(excinfo.value)
    assert "order_rectified_on before" in str(excinfo.value)
    assert "manage.py check_case_dates" in str(excinfo.value)


def test_the_migration_passes_a_clean_database(employer_lqz):
    migration = importlib.import_module("inspections.migrations.0003_case_dates_can_be_true")
    CaseFactory(employer=employer_lqz, opened_on=datetime.date(2026, 3, 1))

    class Apps:
        def get_model(self, app: str, name: str) -> type:
            return Case

    migration.refuse_impossible_dates(Apps(), None)


def test_editing_keeps_the_rules(client_lqz, employer_lqz, inspector_lqz, inspector_lqz2):
    case = CaseFactory(employer=employer_lqz, opened_on=datetime.date(2026, 3, 1))
    case.inspectors.set([inspector_lqz])
    url = reverse("inspections:case_edit", kwargs={"pk": case.pk})
    response = client_lqz.post(
        url, case_form(inspector_lqz, number=case.number, decided_on=TOMORROW.isoformat())
    )
    assert response.status_code == 200
    assert "decided_on" in response.context["form"].errors
