import datetime

import pytest
from django.urls import reverse

from inspections.items import Item
from inspections.models import Case, Patrol, PatrolCheck
from tests.access import CHANGE, READ_AND_CHANGE
from tests.factories import PatrolFactory
from tests.workbooks import xlsx_rows

CREATE = reverse("inspections:patrol_create")


def _post_data(*inspectors, outcome="compliant", **checks) -> dict:
    data = {
        "patrolled_on": "2026-10-20",
        "inspectors": [u.pk for u in inspectors],
        "person_met": "人事经理王敏",
        "headcount_seen": "18",
        "findings": "",
        "outcome": outcome,
    }
    for item in Item.values:
        result, note = checks.get(item, ("compliant", ""))
        data[f"check_{item}"] = result
        data[f"note_{item}"] = note
    return data


def _patrol(employer, *inspectors, **kwargs):
    patrol = PatrolFactory(employer=employer, **kwargs)
    patrol.inspectors.set(inspectors)
    return patrol


def test_inspector_records_a_patrol_with_its_checklist(
    client_lqz, employer_lqz, inspector_lqz, inspector_lqz2
):
    response = client_lqz.get(CREATE, {"employer": employer_lqz.credit_code})
    assert response.status_code == 200
    page = response.content.decode()
    assert "至少" in page  # the two-inspector rule is on the form
    form = response.context["form"]
    assert form["patrolled_on"].value() == datetime.date.today()
    assert form["inspectors"].value() == [inspector_lqz.pk]  # the user is ticked already
    data = _post_data(
        inspector_lqz,
        inspector_lqz2,
        outcome="corrected",
        contracts=("problem", "3名职工未签劳动合同"),
    )
    response = client_lqz.post(f"{CREATE}?employer={employer_lqz.credit_code}", data)
    patrol = Patrol.objects.get()
    assert response.status_code == 302
    assert response["Location"] == patrol.get_absolute_url()
    assert set(patrol.inspectors.all()) == {inspector_lqz, inspector_lqz2}
    assert patrol.person_met == "人事经理王敏" and patrol.headcount_seen == 18
    assert patrol.checks.count() == len(Item.values)
    problem = patrol.checks.get(item=Item.CONTRACTS)
    assert problem.result == PatrolCheck.Result.PROBLEM and problem.note == "3名职工未签劳动合同"
    assert patrol.history.first().history_user == inspector_lqz
    assert not Case.objects.exists()


def test_one_inspector_is_refused_with_a_clear_message(client_lqz, employer_lqz, inspector_lqz):
    response = client_lqz.post(
        f"{CREATE}?employer={employer_lqz.credit_code}", _post_data(inspector_lqz)
    )
    assert response.status_code == 200
    assert "至少两名监察员" in response.content.decode()
    assert not Patrol.objects.exists()


def test_a_problem_needs_a_note(client_lqz, employer_lqz, inspector_lqz, inspector_lqz2):
    data = _post_data(inspector_lqz, inspector_lqz2, outcome="corrected", wages=("problem", ""))
    response = client_lqz.post(f"{CREATE}?employer={employer_lqz.credit_code}", data)
    assert response.status_code == 200
    assert "工资" in response.context["form"].errors["note_wages"][0]
    assert not Patrol.objects.exists()


def test_compliant_outcome_with_problems_is_refused(
    client_lqz, employer_lqz, inspector_lqz, inspector_lqz2
):
    data = _post_data(inspector_lqz, inspector_lqz2, wages=("problem", "拖欠工资"))
    response = client_lqz.post(f"{CREATE}?employer={employer_lqz.credit_code}", data)
    assert "outcome" in response.context["form"].errors
    assert not Patrol.objects.exists()


def test_case_opened_outcome_opens_the_case_prefilled(
    client_lqz, employer_lqz, inspector_lqz, inspector_lqz2
):
    data = _post_data(
        inspector_lqz,
        inspector_lqz2,
        outcome="case_opened",
        wages=("problem", "拖欠5名职工9月工资"),
        social_insurance=("problem", "2名职工未参保"),
    )
    data["findings"] = "拖欠工资，未参保"
    response = client_lqz.post(f"{CREATE}?employer={employer_lqz.credit_code}", data)
    case = Case.objects.get()
    assert response["Location"] == reverse("inspections:case_edit", kwargs={"pk": case.pk})
    patrol = Patrol.objects.get()
    assert case.source == Case.Source.PATROL and case.source_patrol == patrol
    assert case.employer == employer_lqz
    assert case.opened_on == datetime.date(2026, 10, 20)
    assert case.violation_items == [Item.WAGES, Item.SOCIAL_INSURANCE]
    assert case.facts == "拖欠工资，未参保"
    assert set(case.inspectors.all()) == {inspector_lqz, inspector_lqz2}
    assert case.number.startswith("西青人社监〔2026〕")
    # editing the patrol again does not open a second case
    client_lqz.post(reverse("inspections:patrol_edit", kwargs={"pk": patrol.pk}), data)
    assert Case.objects.count() == 1


def test_editing_a_patrol_keeps_history(client_lqz, employer_lqz, inspector_lqz, inspector_lqz2):
    patrol = _patrol(employer_lqz, inspector_lqz, inspector_lqz2)
    data = _post_data(inspector_lqz, inspector_lqz2)
    data["person_met"] = "厂长"
    response = client_lqz.post(reverse("inspections:patrol_edit", kwargs={"pk": patrol.pk}), data)
    assert response.status_code == 302
    patrol.refresh_from_db()
    assert patrol.person_met == "厂长"
    assert patrol.history.count() >= 2


@pytest.mark.parametrize(
    ("client_name", "status"),
    CHANGE,
)
def test_who_may_start_a_patrol(request, client_name, status, employer_lqz):
    client = request.getfixturevalue(client_name)
    response = client.get(CREATE, {"employer": employer_lqz.credit_code})
    assert response.status_code == status


@pytest.mark.parametrize(
    ("client_name", "view", "edit"),
    READ_AND_CHANGE,
)
def test_who_may_see_and_edit_a_patrol(
    request, client_name, view, edit, employer_lqz, inspector_lqz, inspector_lqz2
):
    patrol = _patrol(employer_lqz, inspector_lqz, inspector_lqz2)
    client = request.getfixturevalue(client_name)
    assert client.get(patrol.get_absolute_url()).status_code == view
    assert (
        client.get(reverse("inspections:patrol_edit", kwargs={"pk": patrol.pk})).status_code == edit
    )


def test_anonymous_is_sent_to_login(client, employer_lqz):
    response = client.get(reverse("inspections:patrol_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_is_scoped_filtered_and_cheap(
    client_lqz,
    client_supervisor,
    client_ylq,
    employer_lqz,
    employer_ylq,
    inspector_lqz,
    inspector_lqz2,
    inspector_ylq,
    django_assert_max_num_queries,
):
    for day in range(1, 21):
        _patrol(
            employer_lqz, inspector_lqz, inspector_lqz2, patrolled_on=datetime.date(2026, 9, day)
        )
    mine = _patrol(employer_ylq, inspector_ylq, patrolled_on=datetime.date(2026, 9, 3))
    url = reverse("inspections:patrol_list")
    with django_assert_max_num_queries(12):
        response = client_lqz.get(url)
    assert response.context["table"].page.paginator.count == 20
    assert client_ylq.get(url).context["table"].page.paginator.count == 1
    assert client_supervisor.get(url).context["table"].page.paginator.count == 21
    filtered = client_supervisor.get(url, {"unit": employer_ylq.unit_id})
    assert [p.pk for p in filtered.context["table"].data] == [mine.pk]
    by_inspector = client_supervisor.get(url, {"inspector": inspector_ylq.pk})
    assert by_inspector.context["table"].page.paginator.count == 1
    dated = client_lqz.get(url, {"date_from": "2026-09-10", "date_to": "2026-09-12"})
    assert dated.context["table"].page.paginator.count == 3


def test_problem_item_filter(client_lqz, employer_lqz, inspector_lqz, inspector_lqz2):
    bad = _patrol(employer_lqz, inspector_lqz, inspector_lqz2)
    PatrolCheck.objects.create(patrol=bad, item=Item.WAGES, result="problem", note="欠薪")
    good = _patrol(employer_lqz, inspector_lqz, inspector_lqz2)
    PatrolCheck.objects.create(patrol=good, item=Item.WAGES, result="compliant")
    response = client_lqz.get(reverse("inspections:patrol_list"), {"problem_item": "wages"})
    assert [p.pk for p in response.context["table"].data] == [bad.pk]


def test_export_is_scoped(client_ylq, client_lqz, employer_lqz, inspector_lqz, inspector_lqz2):

    patrol = _patrol(employer_lqz, inspector_lqz, inspector_lqz2)
    PatrolCheck.objects.create(patrol=patrol, item=Item.WAGES, result="problem", note="=欠薪")
    response = client_lqz.get(reverse("inspections:patrol_export"))
    rows = xlsx_rows(response)
    assert len(rows) == 2
    assert employer_lqz.credit_code in rows[1]
    assert any(isinstance(v, str) and "欠薪" in v for v in rows[1])
    empty = client_ylq.get(reverse("inspections:patrol_export"))
    assert len(xlsx_rows(empty)) == 1


def test_employer_page_shows_patrol_panel_and_button_for_editors(
    client_lqz, client_supervisor, employer_lqz, inspector_lqz, inspector_lqz2
):
    _patrol(employer_lqz, inspector_lqz, inspector_lqz2, patrolled_on=datetime.date(2026, 5, 1))
    _patrol(employer_lqz, inspector_lqz, inspector_lqz2, patrolled_on=datetime.date(2026, 8, 1))
    page = client_lqz.get(employer_lqz.get_absolute_url()).content.decode()
    assert page.index("2026-08-01") < page.index("2026-05-01")  # newest first
    start = f"{CREATE}?employer={employer_lqz.credit_code}"
    assert start in page
    assert reverse("inspections:case_create") in page
    supervisor_page = client_supervisor.get(employer_lqz.get_absolute_url()).content.decode()
    assert "2026-08-01" in supervisor_page
    assert start not in supervisor_page
