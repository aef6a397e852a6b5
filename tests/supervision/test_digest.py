import datetime

import pytest
from django.core import mail

from inspections.models import Case
from ratings.models import Level
from supervision.digest import digest_send_all
from supervision.models import DigestDelivery
from supervision.tasks import digest_send_daily
from tests.factories import EmployerFactory, PatrolFactory

from .factories import ComplaintFactory, RatingFactory, returned_review

TODAY = datetime.date(2025, 11, 10)


@pytest.fixture
def inspectors(inspector_lqz, inspector_ylq):
    for user in (inspector_lqz, inspector_ylq):
        user.email = f"{user.username}@xiqing.example"
        user.save()
    return inspector_lqz, inspector_ylq


@pytest.fixture
def lqz_overdue(unit_lqz):
    """One of each kind of item in 李七庄."""
    c_employer = EmployerFactory(unit=unit_lqz, name="逾期巡查公司")
    RatingFactory(employer=c_employer, level=Level.C)
    PatrolFactory(employer=c_employer, patrolled_on=datetime.date(2025, 6, 1))
    complaint_employer = EmployerFactory(unit=unit_lqz, name="投诉对象公司")
    complaint = ComplaintFactory(
        employer=complaint_employer,
        received_on=datetime.date(2025, 11, 3),
        acceptance_due_on=datetime.date(2025, 11, 10),
        complainant_name="张三丰",
    )
    warned = EmployerFactory(unit=unit_lqz, name="整改将到期公司")
    Case.objects.create(
        number="西青人社监〔2025〕001号",
        employer=warned,
        source=Case.Source.PATROL,
        opened_on=datetime.date(2025, 10, 1),
        decided_on=datetime.date(2025, 10, 15),
        order_issued=True,
        order_deadline=datetime.date(2025, 11, 14),
    )
    review_employer = EmployerFactory(unit=unit_lqz, name="书面审查退回公司")
    returned_review(
        review_employer,
        returned_on=datetime.date(2025, 10, 1),
        deadline=datetime.date(2025, 11, 1),
    )
    return complaint


@pytest.mark.django_db
def test_each_inspector_gets_one_mail_with_their_items(inspectors, lqz_overdue, inspector_lqz2):
    inspector_lqz2.email = "lqz2@xiqing.example"
    inspector_lqz2.save()

    sent = digest_send_all(today=TODAY)

    # both inspectors of 李七庄, nobody in 杨柳青 (nothing to say there)
    assert sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "insp_lqz@xiqing.example",
        "lqz2@xiqing.example",
    ]
    message = next(m for m in mail.outbox if m.to == ["insp_lqz@xiqing.example"])
    body = message.body
    for name in ("逾期巡查公司", "投诉对象公司", "整改将到期公司", "书面审查退回公司"):
        assert name in body
    assert lqz_overdue.number in body
    assert "张三丰" not in body  # the complainant stays confidential
    assert message.subject == "西青守法信用：4 项待办（2025-11-10）"
    html = message.alternatives[0][0]
    assert "逾期巡查公司" in html
    assert DigestDelivery.objects.get(user=inspectors[0]).item_count == 4


@pytest.mark.django_db
def test_nothing_is_sent_when_there_is_nothing_to_say(inspectors):
    assert digest_send_all(today=TODAY) == 0
    assert mail.outbox == []
    assert DigestDelivery.objects.count() == 0


@pytest.mark.django_db
def test_a_second_run_the_same_day_sends_nothing_more(inspectors, lqz_overdue):
    assert digest_send_all(today=TODAY) == 1
    assert digest_send_all(today=TODAY) == 0
    assert len(mail.outbox) == 1
    assert digest_send_all(today=TODAY + datetime.timedelta(days=1)) == 1


@pytest.mark.django_db
def test_inspectors_only_hear_about_their_own_units(inspectors, unit_ylq, lqz_overdue):
    c_employer = EmployerFactory(unit=unit_ylq, name="杨柳青C级公司")
    RatingFactory(employer=c_employer, level=Level.C)
    digest_send_all(today=TODAY)
    by_recipient = {m.to[0]: m.body for m in mail.outbox}
    assert "杨柳青C级公司" in by_recipient["insp_ylq@xiqing.example"]
    assert "逾期巡查公司" not in by_recipient["insp_ylq@xiqing.example"]
    assert "杨柳青C级公司" not in by_recipient["insp_lqz@xiqing.example"]


@pytest.mark.django_db
def test_far_deadlines_and_users_without_address_are_left_out(inspector_lqz, unit_lqz):
    # order deadline three weeks away: no early warning yet
    Case.objects.create(
        number="西青人社监〔2025〕002号",
        employer=EmployerFactory(unit=unit_lqz),
        source=Case.Source.PATROL,
        opened_on=datetime.date(2025, 10, 1),
        decided_on=datetime.date(2025, 10, 15),
        order_issued=True,
        order_deadline=datetime.date(2025, 12, 1),
    )
    assert digest_send_all(today=TODAY) == 0
    RatingFactory(employer=EmployerFactory(unit=unit_lqz), level=Level.C)
    # inspector_lqz has no e-mail address: a C employer overdue, still nobody to write to
    assert digest_send_all(today=TODAY) == 0
    assert mail.outbox == []
    inspector_lqz.email = "insp_lqz@xiqing.example"
    inspector_lqz.save()
    assert digest_send_all(today=TODAY) == 1


@pytest.mark.django_db
def test_a_failed_send_is_not_recorded_and_is_retried(inspectors, lqz_overdue, monkeypatch):
    import smtplib

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        digest_send_all(today=TODAY)
    assert DigestDelivery.objects.count() == 0
    monkeypatch.undo()
    assert digest_send_all(today=TODAY) == 1


@pytest.mark.django_db
def test_daily_task_sends_eagerly(inspectors, lqz_overdue):
    result = digest_send_daily.delay(TODAY.isoformat())
    assert result.get() == "2025-11-10 digests sent=1"
    assert len(mail.outbox) == 1
