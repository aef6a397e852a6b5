import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from inspections.items import Item
from inspections.models import Case
from tests.access import READ_AND_CHANGE
from tests.factories import CaseFactory, EmployerFactory
from tests.workbooks import xlsx_rows

from .case_posts import CREATE, assert_refused_on, case_form

LIST = reverse("inspections:case_list")


def _case(employer, *inspectors, **kwargs) -> Case:
    case = CaseFactory(employer=employer, **kwargs)
    case.inspectors.set(inspectors)
    return case


def test_inspector_opens_a_case_with_an_order(
    client_lqz, employer_lqz, inspector_lqz, post_new_case
):
    form = client_lqz.get(CREATE, {"employer": employer_lqz.credit_code}).context["form"]
    assert form["opened_on"].value() == datetime.date.today()
    assert form["inspectors"].value() == [inspector_lqz.pk]
    response = post_new_case()
    case = Case.objects.get()
    assert response["Location"] == case.get_absolute_url()
    assert case.number == "西青人社监〔2026〕001号"
    assert case.order_issued and case.order_deadline == datetime.date(2026, 3, 25)
    assert case.violation_items == ["wages"]
    assert case.created_by == inspector_lqz
    assert case.history.first().history_user == inspector_lqz


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"order_issued": None, "order_rectified_on": "2026-03-20"}, "order_rectified_on"),
        ({"order_deadline": "2026-03-05"}, "order_deadline"),
        ({"penalty_issued": "on", "penalty_amount": "-5"}, "penalty_amount"),
        ({"penalty_issued": None, "penalty_amount": "500"}, "penalty_amount"),
        ({"decided_on": "2026-02-01"}, "decided_on"),
        ({"closed_on": "2026-02-01"}, "closed_on"),
        ({"decision_deadline": "2026-04-01"}, "decision_deadline"),
    ],
)
def test_constraint_violations_become_field_errors(post_new_case, overrides, field):
    assert_refused_on(post_new_case(**overrides), field)


def test_database_constraints_back_the_form(employer_lqz):
    from django.core.exceptions import ValidationError

    case = Case(
        number="x",
        employer=employer_lqz,
        source="special",
        opened_on=datetime.date(2026, 3, 1),
        order_rectified_on=datetime.date(2026, 3, 2),
    )
    with pytest.raises(ValidationError) as excinfo:
        case.full_clean()
    assert "order" in str(excinfo.value).lower() or "责令" in str(excinfo.value)


def test_a_typed_number_that_exists_is_a_form_error(employer_lqz, post_new_case):
    CaseFactory(employer=employer_lqz, number="西青人社监〔2026〕050号")
    response = post_new_case(number="西青人社监〔2026〕050号")
    assert response.status_code == 200
    assert "number" in response.context["form"].errors
    assert Case.objects.count() == 1


def test_editing_measures(client_lqz, employer_lqz, inspector_lqz, inspector_lqz2):
    case = _case(employer_lqz, inspector_lqz, inspector_lqz2, number="西青人社监〔2026〕001号")
    data = case_form(
        inspector_lqz,
        inspector_lqz2,
        number=case.number,
        order_rectified_on="2026-03-20",
        penalty_issued="on",
        penalty_number="津西青人社监罚字〔2026〕001号",
        penalty_amount="5000",
        closed_on="2026-03-28",
    )
    response = client_lqz.post(reverse("inspections:case_edit", kwargs={"pk": case.pk}), data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.order_rectified_on == datetime.date(2026, 3, 20)
    assert case.penalty_amount == Decimal("5000.00")
    assert case.status == Case.Status.CLOSED
    detail = client_lqz.get(case.get_absolute_url()).content.decode()
    assert "2026-03-20" in detail and "2026-03-25" in detail  # timeline


def test_inspector_cannot_set_serious(client_lqz, employer_lqz, inspector_lqz, inspector_lqz2):
    case = _case(employer_lqz, inspector_lqz, inspector_lqz2, number="西青人社监〔2026〕001号")
    response = client_lqz.post(
        reverse("inspections:case_serious", kwargs={"pk": case.pk}),
        {"serious": "on", "serious_reason": "恶意欠薪"},
    )
    assert response.status_code == 403
    # nor through the edit form
    data = case_form(inspector_lqz, inspector_lqz2, number=case.number, serious="on")
    data["serious_reason"] = "恶意欠薪"
    client_lqz.post(reverse("inspections:case_edit", kwargs={"pk": case.pk}), data)
    case.refresh_from_db()
    assert case.serious is False and case.serious_reason == ""


def test_supervisor_judges_serious_with_a_reason(client_supervisor, supervisor, employer_lqz):
    case = CaseFactory(employer=employer_lqz)
    url = reverse("inspections:case_serious", kwargs={"pk": case.pk})
    client_supervisor.post(url, {"serious": "on", "serious_reason": ""})
    case.refresh_from_db()
    assert case.serious is False
    client_supervisor.post(url, {"serious": "on", "serious_reason": "拒不支付劳动报酬且数额巨大"})
    case.refresh_from_db()
    assert case.serious and case.serious_judged_by == supervisor
    assert case.history.first().history_user == supervisor
    # supervisors read but do not edit cases
    assert (
        client_supervisor.get(reverse("inspections:case_edit", kwargs={"pk": case.pk})).status_code
        == 403
    )


def test_withdraw_and_close(client_lqz, employer_lqz):
    case = CaseFactory(
        employer=employer_lqz, order_issued=True, decided_on=datetime.date(2026, 3, 2)
    )
    client_lqz.post(
        reverse("inspections:case_withdraw", kwargs={"pk": case.pk}), {"withdrawn_reason": ""}
    )
    case.refresh_from_db()
    assert not case.withdrawn
    client_lqz.post(
        reverse("inspections:case_withdraw", kwargs={"pk": case.pk}),
        {"withdrawn_reason": "情节轻微已改正"},
    )
    case.refresh_from_db()
    assert case.withdrawn and not Case.objects.sanctioned().exists()
    client_lqz.post(
        reverse("inspections:case_close", kwargs={"pk": case.pk}), {"closed_on": "2026-02-01"}
    )
    case.refresh_from_db()
    assert case.closed_on is None  # before opening: refused
    client_lqz.post(
        reverse("inspections:case_close", kwargs={"pk": case.pk}), {"closed_on": "2026-04-01"}
    )
    case.refresh_from_db()
    assert case.closed_on == datetime.date(2026, 4, 1)


@pytest.mark.parametrize(("client_name", "view", "edit"), READ_AND_CHANGE)
def test_case_access_by_role(request, client_name, view, edit, employer_lqz):
    case = CaseFactory(employer=employer_lqz)
    client = request.getfixturevalue(client_name)
    assert client.get(case.get_absolute_url()).status_code == view
    assert client.get(reverse("inspections:case_edit", kwargs={"pk": case.pk})).status_code == edit
    assert client.get(CREATE, {"employer": employer_lqz.credit_code}).status_code == edit
    for name in ("case_withdraw", "case_close"):
        response = client.post(reverse(f"inspections:{name}", kwargs={"pk": case.pk}), {})
        assert response.status_code == (302 if edit == 200 else edit)


def test_list_filters_and_scoping(
    client_lqz, client_supervisor, employer_lqz, employer_ylq, django_assert_max_num_queries
):
    today = datetime.date.today()
    overdue = CaseFactory(
        employer=employer_lqz,
        opened_on=today - datetime.timedelta(days=40),
        decided_on=today - datetime.timedelta(days=30),
        order_issued=True,
        order_deadline=today - datetime.timedelta(days=5),
    )
    penalty = CaseFactory(
        employer=employer_lqz,
        source=Case.Source.COMPLAINT,
        opened_on=today - datetime.timedelta(days=40),
        decided_on=today - datetime.timedelta(days=30),
        penalty_issued=True,
        penalty_amount=Decimal(2000),
        closed_on=today,
    )
    withdrawn = CaseFactory(employer=employer_lqz, withdrawn=True)
    other = CaseFactory(employer=employer_ylq)
    for _ in range(15):
        CaseFactory(employer=EmployerFactory(unit=employer_lqz.unit))

    def pks(client, **params):
        return {row.record.pk for row in client.get(LIST, params).context["table"].page.object_list}

    with django_assert_max_num_queries(10):
        client_lqz.get(LIST)
    assert other.pk not in pks(client_lqz)
    assert other.pk in pks(client_supervisor)
    assert pks(client_lqz, overdue="true") == {overdue.pk}
    assert pks(client_lqz, measure="penalty") == {penalty.pk}
    assert pks(client_lqz, source="complaint") == {penalty.pk}
    assert pks(client_lqz, status="withdrawn") == {withdrawn.pk}
    assert pks(client_lqz, status="closed") == {penalty.pk}
    assert pks(client_supervisor, unit=employer_ylq.unit_id) == {other.pk}
    assert pks(client_lqz, q=overdue.number) == {overdue.pk}


def test_export_has_the_ledger_columns(client_lqz, employer_lqz, employer_ylq):
    CaseFactory(
        employer=employer_lqz,
        penalty_issued=True,
        penalty_amount=Decimal(3000),
        decided_on=datetime.date(2026, 3, 2),
    )
    CaseFactory(employer=employer_ylq)
    response = client_lqz.get(reverse("inspections:case_export"))
    rows = xlsx_rows(response)
    assert rows[0][:3] == ("案件编号", "统一社会信用代码", "单位名称")
    assert len(rows) == 2
    assert rows[1][1] == employer_lqz.credit_code


def test_violation_item_labels(employer_lqz):
    case = CaseFactory(employer=employer_lqz, violation_items=[Item.WAGES, "unknown"])
    assert len(case.violation_item_labels) == 1
