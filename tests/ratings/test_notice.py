"""Notices (告知): due when a level becomes C and for every yearly evaluation, on the working-day
calendar; recording their service; the list of due and overdue notices."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ratings.models import Notice
from ratings.procedure.services import notice_number_issue
from ratings.services import employer_rerate, employers_rerate_bulk, yearly_evaluate
from tests.clock import frozen_today
from tests.factories import EmployerFactory

from .cases import penalty_case
from .notices import PNG, serve

D = datetime.date
# A Monday before the National Day holiday (1-7 October 2026, 10 October a make-up day).
CHANGED = D(2026, 9, 28)


today = frozen_today(D(2026, 11, 2))


def penalty(employer, decided_on=CHANGED, **extra):
    opened = decided_on - datetime.timedelta(days=30)
    return penalty_case(employer, decided=decided_on, opened=opened, **extra)


@pytest.mark.django_db
def test_a_level_becoming_c_makes_a_notice_due_ten_working_days_later_across_the_holiday(
    employer_lqz,
):
    case = penalty(employer_lqz)
    employer_rerate(employer_id=employer_lqz.pk, cause="case_changed", today=CHANGED)
    notice = Notice.objects.get(employer=employer_lqz)
    assert (notice.kind, notice.level, notice.clause_codes) == ("rolling", "C", "C4")
    assert notice.changed_on == CHANGED
    # Ten plain weekdays would be 12 October; the holiday week does not count.
    assert notice.due_on == D(2026, 10, 16)
    assert notice.due_estimated is False
    # the snapshot names the case behind it
    assert notice.case_ids == [case.pk]
    assert notice.clauses[0]["cases"][0]["number"] == case.number


@pytest.mark.django_db
def test_no_second_notice_while_c_a_new_one_after_it_ended(employer_lqz, settings):
    first = penalty(employer_lqz)
    employer_rerate(employer_id=employer_lqz.pk, cause="case_changed", today=CHANGED)
    # more reasons, still C: no new notice
    penalty(employer_lqz, mass_incident=True)
    employer_rerate(employer_id=employer_lqz.pk, cause="case_changed", today=CHANGED)
    assert Notice.objects.filter(employer=employer_lqz).count() == 1
    # the cases leave the window: B/A, then a new C
    later = D(2027, 10, 1)
    employer_rerate(employer_id=employer_lqz.pk, cause="time", today=later)
    assert employer_lqz.rating.level != "C" or first
    penalty(employer_lqz, decided_on=later)
    employer_rerate(employer_id=employer_lqz.pk, cause="case_changed", today=later)
    assert Notice.objects.filter(employer=employer_lqz).count() == 2


@pytest.mark.django_db
def test_the_bulk_rerate_makes_notices_too(unit_lqz):
    c_employer = EmployerFactory(unit=unit_lqz)
    penalty(c_employer)
    a_employer = EmployerFactory(unit=unit_lqz)
    ids = [c_employer.pk, a_employer.pk]
    employers_rerate_bulk(employer_ids=ids, cause="full", today=CHANGED)
    assert list(Notice.objects.values_list("employer_id", "due_on")) == [
        (c_employer.pk, D(2026, 10, 16))
    ]
    employers_rerate_bulk(employer_ids=ids, cause="full", today=CHANGED)
    assert Notice.objects.count() == 1


@pytest.mark.django_db
def test_every_employer_of_a_yearly_evaluation_gets_one_notice(unit_lqz, today):
    c_employer = EmployerFactory(unit=unit_lqz, established_on=D(2020, 1, 1))
    penalty(c_employer, decided_on=D(2025, 6, 1))
    EmployerFactory(unit=unit_lqz, established_on=D(2020, 1, 1))
    yearly_evaluate(year=2025)
    yearly_evaluate(year=2025)  # a rerun adds none
    notices = Notice.objects.filter(kind="yearly").order_by("employer_id")
    assert [(n.employer_id, n.level) for n in notices] == [
        (c_employer.pk, "C"),
        (c_employer.pk + 1, "A"),
    ]
    assert all(n.yearly_evaluation.year == 2025 for n in notices)


@pytest.mark.django_db
def test_service_needs_a_real_receipt_and_starts_the_objection_period(
    employer_lqz, inspector_lqz, today
):
    penalty(employer_lqz)
    employer_rerate(employer_id=employer_lqz.pk, cause="case_changed", today=CHANGED)
    notice = Notice.objects.get()
    fake = SimpleUploadedFile("receipt.png", b"<html>not an image</html>")
    with pytest.raises(ValidationError):
        serve(notice, inspector_lqz, served_on=CHANGED, receipt=fake)
    with pytest.raises(ValidationError):
        serve(notice, inspector_lqz, served_on=CHANGED, method="post", receipt=None)
    serve(notice, inspector_lqz, served_on=D(2026, 9, 30))
    notice.refresh_from_db()
    # 15 working days from 30 September, the holiday week left out
    assert notice.objection_until == D(2026, 10, 27)
    assert notice.final_unopposed_on == D(2026, 10, 28)
    assert notice.served_by == inspector_lqz


@pytest.mark.django_db
def test_document_numbers_come_from_the_yearly_counter(unit_lqz, today):
    notices = []
    for _ in range(2):
        employer = EmployerFactory(unit=unit_lqz)
        penalty(employer)
        employer_rerate(employer_id=employer.pk, cause="case_changed", today=CHANGED)
        notices.append(notice_number_issue(Notice.objects.get(employer=employer)))
    assert [n.document_number for n in notices] == [
        "西青人社信告〔2026〕1号",
        "西青人社信告〔2026〕2号",
    ]
    # issuing again keeps the number
    assert notice_number_issue(notices[0]).document_number == "西青人社信告〔2026〕1号"


@pytest.mark.django_db
def test_the_list_shows_own_units_notices_due_and_overdue(
    client_lqz, client_ylq, client_supervisor, employer_lqz, today
):
    penalty(employer_lqz)
    employer_rerate(employer_id=employer_lqz.pk, cause="case_changed", today=CHANGED)
    url = reverse("ratings:notice_list")
    page = client_lqz.get(url + "?status=overdue").content.decode()
    assert employer_lqz.name in page and 'data-testid="notice-overdue"' in page
    assert employer_lqz.name not in client_ylq.get(url).content.decode()
    assert employer_lqz.name in client_supervisor.get(url).content.decode()
    assert employer_lqz.name not in client_lqz.get(url + "?status=served").content.decode()


@pytest.mark.django_db
def test_service_recorded_through_the_page(client_lqz, client_supervisor, employer_lqz, today):
    penalty(employer_lqz)
    employer_rerate(employer_id=employer_lqz.pk, cause="case_changed", today=CHANGED)
    notice = Notice.objects.get()
    url = reverse("ratings:notice_serve", args=[notice.pk])
    assert client_supervisor.get(url).status_code == 404  # supervisors read, do not serve
    response = client_lqz.post(
        url,
        {"method": "in_person", "served_on": "2026-10-09", "note": "", "receipt": io.BytesIO(PNG)},
    )
    assert response.status_code == 200  # a BytesIO has no name: refused, form shown again
    receipt = SimpleUploadedFile("receipt.png", PNG, content_type="image/png")
    response = client_lqz.post(
        url, {"method": "in_person", "served_on": "2026-10-09", "note": "", "receipt": receipt}
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.served_on == D(2026, 10, 9)
    receipt_response = client_lqz.get(reverse("ratings:notice_receipt", args=[notice.pk]))
    assert receipt_response["Content-Type"] == "image/png"
