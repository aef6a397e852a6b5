"""Documents from a case: the order to correct and the handling decision letter (PDF text),
their yearly numbers stored on the case, who may issue them; the new case facts on the form."""

import datetime

import pytest
from django.urls import reverse

from inspections.documents import case_document_number_assign, case_document_pdf
from inspections.models import Case, case_date_errors
from tests.factories import CaseFactory, EmployerFactory
from tests.pdfs import needs_pdftotext, pdf_text

D = datetime.date


@pytest.fixture
def case(db, unit_lqz, inspector_lqz):
    employer = EmployerFactory(unit=unit_lqz, name="津西精密机械有限公司")
    made = CaseFactory(
        employer=employer,
        number="西青人社监〔2026〕052号",
        opened_on=D(2026, 8, 3),
        decided_on=D(2026, 8, 20),
        facts="未与12名劳动者签订书面劳动合同",
        violation_items=["contracts"],
        order_issued=True,
        order_deadline=D(2026, 9, 20),
        decision_issued=True,
        decision_deadline=D(2026, 9, 30),
        penalty_issued=True,
        penalty_number="西青人社罚〔2026〕7号",
        penalty_amount=20000,
        fine_due_on=D(2026, 9, 5),
    )
    made.inspectors.set([inspector_lqz])
    return made


@needs_pdftotext
def test_the_order_to_correct_says_who_what_by_when_and_the_remedies(case):
    number = case_document_number_assign(case=case, kind="order")
    assert number == "西青人社监令〔2026〕1号"
    text = pdf_text(case_document_pdf(case, "order"))
    for expected in (
        "津西精密机械有限公司",
        case.employer.credit_code,
        "西青人社监〔2026〕052号",
        "西青人社监令〔2026〕1号",
        "未与12名劳动者签订书面劳动合同",
        "2026年9月20日",
        "劳动保障监察条例",
        "行政复议法",
        "行政诉讼法",
        "60",
    ):
        assert expected in text, expected


@needs_pdftotext
def test_the_handling_decision_letter_has_its_deadline_and_fine(case):
    case_document_number_assign(case=case, kind="decision")
    text = pdf_text(case_document_pdf(case, "decision"))
    for expected in (
        "西青人社监决〔2026〕1号",
        "2026年9月30日",
        "20000",
        "2026年9月5日",
        "行政复议法",
    ):
        assert expected in text, expected


def test_numbers_are_yearly_stored_and_kept(case):
    first = case_document_number_assign(case=case, kind="order")
    again = case_document_number_assign(case=Case.objects.get(pk=case.pk), kind="order")
    assert first == again == Case.objects.get(pk=case.pk).order_document_number
    other = CaseFactory(
        employer=case.employer,
        opened_on=D(2026, 9, 1),
        decided_on=D(2026, 9, 2),
        order_issued=True,
        order_deadline=D(2026, 10, 1),
    )
    assert case_document_number_assign(case=other, kind="order") == "西青人社监令〔2026〕2号"


def test_a_typed_handling_decision_number_is_the_letters(case):
    Case.objects.filter(pk=case.pk).update(decision_number="西青人社监决〔2026〕88号")
    typed = Case.objects.get(pk=case.pk)
    assert case_document_number_assign(case=typed, kind="decision") == "西青人社监决〔2026〕88号"


def test_downloads_from_the_case_page(case, client_lqz, client_ylq, client_supervisor):
    url = reverse("inspections:case_order_document", kwargs={"pk": case.pk})
    page = client_lqz.get(case.get_absolute_url()).content.decode()
    assert url in page
    # A GET gives a draft and writes nothing.
    response = client_lqz.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert Case.objects.get(pk=case.pk).order_document_number == ""
    # POST issues the number.
    assert client_lqz.post(url).status_code == 200
    assert Case.objects.get(pk=case.pk).order_document_number == "西青人社监令〔2026〕1号"
    # Other units do not see the case; supervisors read but do not issue.
    assert client_ylq.get(url).status_code == 404
    assert client_supervisor.get(url).status_code == 200
    decision_url = reverse("inspections:case_decision_document", kwargs={"pk": case.pk})
    assert client_supervisor.post(decision_url).status_code == 403
    assert Case.objects.get(pk=case.pk).decision_document_number == ""


def test_a_case_without_the_measure_has_no_document(db, client_lqz, unit_lqz):
    bare = CaseFactory(employer=EmployerFactory(unit=unit_lqz))
    for name in ("inspections:case_order_document", "inspections:case_decision_document"):
        assert client_lqz.get(reverse(name, kwargs={"pk": bare.pk})).status_code == 404


# --- the new facts and their dates ------------------------------------------------------------


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ({"fine_paid_on": D(2099, 1, 1)}, "fine_paid_on"),  # in the future
        ({"decided_on": D(2026, 8, 20), "fine_paid_on": D(2026, 8, 19)}, "fine_paid_on"),
        ({"decided_on": D(2026, 8, 20), "fine_due_on": D(2026, 8, 1)}, "fine_due_on"),
    ],
)
def test_fine_dates_follow_the_case_date_rules(dates, field):
    errors = case_date_errors({"opened_on": D(2026, 8, 1), **dates}, today=D(2026, 11, 15))
    assert field in errors


def test_a_due_date_may_lie_ahead():
    assert (
        case_date_errors(
            {"opened_on": D(2026, 8, 1), "decided_on": D(2026, 8, 2), "fine_due_on": D(2027, 1, 1)},
            today=D(2026, 11, 15),
        )
        == {}
    )


def test_the_case_form_records_the_new_facts(case, client_lqz):
    url = reverse("inspections:case_edit", kwargs={"pk": case.pk})
    form = client_lqz.get(url).content.decode()
    for name in ("fine_due_on", "fine_paid_on", "forced_labour", "obstructed_inspection"):
        assert f'name="{name}"' in form
