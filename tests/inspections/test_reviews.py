import datetime

import pytest
from django.urls import reverse

from inspections.models import Case, WrittenReview
from tests.access import READ_AND_CHANGE
from tests.factories import EmployerFactory
from tests.inspections.factories import WrittenReviewFactory
from tests.workbooks import xlsx_rows

CREATE = reverse("inspections:review_create")
LIST = reverse("inspections:review_list")


def _url(name: str, review: WrittenReview) -> str:
    return reverse(f"inspections:{name}", kwargs={"pk": review.pk})


def _form(**overrides) -> dict:
    data = {
        "year": "2026",
        "received_on": "2026-04-10",
        "materials": ["contracts", "wages", "social_insurance"],
        "complete": "",
        "reported_name": "",
        "reported_headcount": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_inspector_records_a_review(client_lqz, employer_lqz, inspector_lqz):
    form = client_lqz.get(CREATE, {"employer": employer_lqz.credit_code}).context["form"]
    assert form["reported_name"].value() == employer_lqz.name  # prefilled from the registry
    assert form["year"].value() == datetime.date.today().year
    response = client_lqz.post(f"{CREATE}?employer={employer_lqz.credit_code}", _form())
    review = WrittenReview.objects.get()
    assert response["Location"] == review.get_absolute_url()
    assert review.materials == ["contracts", "wages", "social_insurance"]
    assert review.status == WrittenReview.Status.SUBMITTED
    assert review.history.first().history_user == inspector_lqz


def test_one_review_per_employer_per_year(client_lqz, employer_lqz):
    WrittenReviewFactory(employer=employer_lqz, year=2026)
    response = client_lqz.post(f"{CREATE}?employer={employer_lqz.credit_code}", _form())
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert WrittenReview.objects.count() == 1
    # the database refuses it too
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        WrittenReviewFactory(employer=employer_lqz, year=2026)


def test_status_flow_returned_resubmitted_passed(client_lqz, employer_lqz):
    review = WrittenReviewFactory(employer=employer_lqz)
    response = client_lqz.post(
        _url("review_return", review),
        {"returned_on": "2026-04-12", "returned_reason": "", "resubmit_deadline": ""},
    )
    assert response.status_code == 400
    review.refresh_from_db()
    assert review.status == WrittenReview.Status.SUBMITTED
    client_lqz.post(
        _url("review_return", review),
        {
            "returned_on": "2026-04-12",
            "returned_reason": "缺工资表",
            "resubmit_deadline": "2026-04-30",
        },
    )
    review.refresh_from_db()
    assert review.status == WrittenReview.Status.RETURNED
    assert review.resubmit_deadline == datetime.date(2026, 4, 30)
    # cannot pass a returned review before it is resubmitted
    response = client_lqz.post(
        _url("review_conclude", review), {"result": "passed", "concluded_on": "2026-05-02"}
    )
    review.refresh_from_db()
    assert review.status == WrittenReview.Status.RETURNED
    client_lqz.post(_url("review_resubmit", review), {"resubmitted_on": "2026-04-28"})
    review.refresh_from_db()
    assert review.status == WrittenReview.Status.RESUBMITTED
    client_lqz.post(
        _url("review_conclude", review),
        {"result": "passed", "concluded_on": "2026-05-02", "conclusion": "材料齐全"},
    )
    review.refresh_from_db()
    assert review.status == WrittenReview.Status.PASSED
    assert review.history.count() == 4


def test_problems_found_opens_a_case(client_lqz, employer_lqz, inspector_lqz, inspector_lqz2):
    review = WrittenReviewFactory(employer=employer_lqz)

    def problems_found(*inspectors):
        data = {
            "result": "problems",
            "concluded_on": "2026-05-02",
            "conclusion": "未依法缴纳社会保险",
            "violation_items": ["social_insurance"],
            "inspectors": [inspector.pk for inspector in inspectors],
        }
        return client_lqz.post(_url("review_conclude", review), data)

    response = problems_found(inspector_lqz)
    assert response.status_code == 400  # one inspector
    assert not Case.objects.exists()
    review.refresh_from_db()
    assert review.status == WrittenReview.Status.SUBMITTED
    response = problems_found(inspector_lqz, inspector_lqz2)
    case = Case.objects.get()
    assert response["Location"] == reverse("inspections:case_edit", kwargs={"pk": case.pk})
    assert case.source == Case.Source.WRITTEN_REVIEW and case.source_review == review
    assert case.violation_items == ["social_insurance"]
    review.refresh_from_db()
    assert review.status == WrittenReview.Status.PROBLEMS


def test_overdue_per_unit_and_filter(client_lqz, client_supervisor, employer_lqz, employer_ylq):
    today = datetime.date.today()
    late = WrittenReviewFactory(
        employer=employer_lqz,
        status="returned",
        returned_reason="缺材料",
        resubmit_deadline=today - datetime.timedelta(days=3),
    )
    WrittenReviewFactory(
        employer=EmployerFactory(unit=employer_lqz.unit),
        status="returned",
        returned_reason="缺材料",
        resubmit_deadline=today + datetime.timedelta(days=3),
    )
    WrittenReviewFactory(
        employer=employer_ylq,
        status="returned",
        returned_reason="缺材料",
        resubmit_deadline=today - datetime.timedelta(days=3),
    )
    response = client_lqz.get(reverse("inspections:review_overdue"))
    units = list(response.context["units"])
    assert [(u.code, u.returned, u.overdue) for u in units] == [("120111002", 2, 1)]
    district = client_supervisor.get(reverse("inspections:review_overdue")).context["units"]
    assert {u.code: u.overdue for u in district}["120111101"] == 1
    listed = client_lqz.get(LIST, {"overdue": "true"}).context["table"].page.object_list
    assert [row.record.pk for row in listed] == [late.pk]


def test_registry_mismatch_is_flagged(client_lqz, employer_lqz):
    ok = WrittenReviewFactory(
        employer=employer_lqz,
        reported_name=employer_lqz.name,
        reported_headcount=employer_lqz.headcount,
    )
    other = EmployerFactory(unit=employer_lqz.unit, headcount=20)
    off = WrittenReviewFactory(employer=other, reported_name=other.name, reported_headcount=35)
    assert ok.registry_mismatches == [] and off.registry_mismatches
    listed = client_lqz.get(LIST, {"mismatch": "true"}).context["table"].page.object_list
    assert [row.record.pk for row in listed] == [off.pk]
    detail = client_lqz.get(off.get_absolute_url())
    assert 'data-testid="registry-mismatch"' in detail.content.decode()


@pytest.mark.parametrize(
    ("client_name", "view", "edit"),
    READ_AND_CHANGE,
)
def test_review_access_by_role(request, client_name, view, edit, employer_lqz):
    review = WrittenReviewFactory(employer=employer_lqz)
    client = request.getfixturevalue(client_name)
    assert client.get(review.get_absolute_url()).status_code == view
    assert client.get(_url("review_edit", review)).status_code == edit
    assert client.get(CREATE, {"employer": employer_lqz.credit_code}).status_code == edit
    response = client.post(_url("review_resubmit", review), {"resubmitted_on": "2026-04-01"})
    assert response.status_code in ((400,) if edit == 200 else (edit,))
    list_status = client.get(LIST).status_code
    assert list_status == (404 if client_name == "client_nobody" else 200)


def test_review_list_and_export(
    client_lqz, employer_lqz, employer_ylq, django_assert_max_num_queries
):

    for _ in range(10):
        WrittenReviewFactory(employer=EmployerFactory(unit=employer_lqz.unit))
    WrittenReviewFactory(employer=employer_ylq)
    with django_assert_max_num_queries(10):
        response = client_lqz.get(LIST)
    assert response.context["table"].page.paginator.count == 10
    export = client_lqz.get(reverse("inspections:review_export"))
    rows = xlsx_rows(export)
    assert len(rows) == 11
