"""Objections (异议): recusal of the reviewer, the decision deadline, overdue lists and digest,
the decision, and "objection under review" wherever the level is shown."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ratings.models import Notice, Objection
from ratings.procedure.selectors import employer_objection_open, objections_overdue
from ratings.procedure.services import reviewer_recused_ids
from ratings.services import employer_rerate
from tests.clock import frozen_today
from tests.conftest import make_user
from tests.factories import CaseFactory, PatrolFactory
from tests.workbooks import xlsx_rows

from .notices import objection_decided, objection_filed

D = datetime.date
CHANGED = D(2026, 9, 28)
RECEIVED = D(2026, 9, 30)


today = frozen_today(D(2026, 11, 2))


@pytest.fixture
def world(employer_lqz, inspector_lqz, unit_lqz):
    involved = make_user("involved_sup", "supervisor")
    patroller = make_user("patrol_sup", "supervisor")
    uninvolved = make_user("uninvolved_sup", "supervisor")
    patrol = PatrolFactory(employer=employer_lqz)
    patrol.inspectors.set([inspector_lqz, patroller])
    case = CaseFactory(
        employer=employer_lqz, penalty_issued=True, decided_on=CHANGED, source_patrol=patrol
    )
    case.inspectors.set([inspector_lqz, involved])
    employer_rerate(employer_id=employer_lqz.pk, cause="case_changed", today=CHANGED)
    return {
        "notice": Notice.objects.get(employer=employer_lqz),
        "case": case,
        "involved": involved,
        "patroller": patroller,
        "uninvolved": uninvolved,
    }


def record(world, reviewer, received_on=RECEIVED):
    return objection_filed(
        world["notice"],
        reviewer,
        received_on=received_on,
        channel="in_person",
        ground="withdrawn",
        text="该案已撤销",
    )


def decide(objection, user, **decision):
    """The decision on the objection, taken on 2026-10-09 by ``user``."""
    return objection_decided(objection, user, decided_on=D(2026, 10, 9), **decision)


@pytest.mark.django_db
def test_inspectors_of_the_cases_and_of_their_patrol_are_recused(world, inspector_lqz, today):
    assert reviewer_recused_ids(world["notice"]) >= {
        inspector_lqz.pk,
        world["involved"].pk,
        world["patroller"].pk,
    }
    for reviewer in (world["involved"], world["patroller"], inspector_lqz):
        with pytest.raises(ValidationError):
            record(world, reviewer)
    assert record(world, world["uninvolved"]).reviewer == world["uninvolved"]


@pytest.mark.django_db
def test_the_form_refuses_an_involved_reviewer(client_lqz, world, today):
    url = reverse("ratings:objection_create", args=[world["notice"].pk])
    data = {
        "received_on": "2026-09-30",
        "channel": "in_person",
        "ground": "facts",
        "text": "事实有误",
        "reviewer": world["involved"].pk,
    }
    response = client_lqz.post(url, data)
    assert response.status_code == 200
    assert 'data-testid="field-errors"' in response.content.decode()
    assert not Objection.objects.exists()
    attachment = SimpleUploadedFile("proof.pdf", b"%PDF-1.4 proof", content_type="application/pdf")
    response = client_lqz.post(
        url, {**data, "reviewer": world["uninvolved"].pk, "attachments": [attachment]}
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.attachments.get().content_type == "application/pdf"


@pytest.mark.django_db
def test_the_decision_is_due_fifteen_working_days_after_receipt(world, today):
    objection = record(world, world["uninvolved"])
    assert objection.decision_due_on == D(2026, 10, 27)  # the National Day week left out
    assert list(objections_overdue(today=D(2026, 10, 27))) == []
    assert list(objections_overdue(today=D(2026, 10, 28))) == [objection]


@pytest.mark.django_db
def test_only_the_reviewer_decides_and_a_rejection_needs_reasons(world, today):
    objection = record(world, world["uninvolved"])
    with pytest.raises(ValidationError):
        decide(objection, world["uninvolved"], reasons="")
    with pytest.raises(ValidationError):
        decide(objection, world["involved"], reasons="理由")
    decide(objection, world["uninvolved"], reasons="证据确凿")
    assert objection.decision_number == "西青人社信复〔2026〕1号"
    assert not employer_objection_open(objection.employer)


@pytest.mark.django_db
def test_objection_under_review_on_the_employer_page_and_watchlist(
    client_lqz, client_supervisor, world, employer_lqz, today
):
    record(world, world["uninvolved"])
    assert employer_objection_open(employer_lqz)
    page = client_lqz.get(reverse("employers:detail", args=[employer_lqz.credit_code]))
    assert 'data-testid="rating-objection-open"' in page.content.decode()
    watchlist = client_supervisor.get(reverse("planning:watchlist")).content.decode()
    assert 'data-testid="watchlist-objection-open"' in watchlist


@pytest.mark.django_db
def test_overdue_objections_on_the_supervisors_list(client_supervisor, world, today):
    objection = record(world, world["uninvolved"], received_on=D(2026, 9, 1))
    page = client_supervisor.get(reverse("ratings:objection_list") + "?status=overdue")
    assert 'data-testid="objection-overdue"' in page.content.decode()
    assert objection.employer.name in page.content.decode()


@pytest.mark.django_db
def test_overdue_objections_in_the_digest(world, today):
    from supervision.digest import digest_items_by_unit

    record(world, world["uninvolved"], received_on=D(2026, 9, 1))
    employer = world["notice"].employer
    items = digest_items_by_unit(D(2026, 11, 2))[employer.unit_id]
    assert [(i.section, i.title) for i in items if i.section == "objections"] == [
        ("objections", employer.name)
    ]


@pytest.mark.django_db
def test_an_upheld_objection_withdraws_the_case_and_the_rating_reruns(
    world, today, django_capture_on_commit_callbacks
):
    objection = record(world, world["uninvolved"])
    withdrawn = [world["case"]]
    with pytest.raises(ValidationError):
        decide(objection, world["uninvolved"], reasons="不成立", withdraw_cases=withdrawn)
    with django_capture_on_commit_callbacks(execute=True):
        decide(
            objection,
            world["uninvolved"],
            outcome="upheld",
            reasons="案件已依法撤销",
            withdraw_cases=withdrawn,
        )
    world["case"].refresh_from_db()
    assert world["case"].withdrawn
    assert objection.decision_number in world["case"].withdrawn_reason
    employer = world["notice"].employer
    employer.rating.refresh_from_db()
    assert employer.rating.level != "C"


@pytest.mark.django_db
def test_the_watchlist_export_says_objection_under_review(client_supervisor, world, today):

    def objection_cells() -> list:
        response = client_supervisor.get(reverse("planning:watchlist_export"))
        rows = xlsx_rows(response)
        column = rows[0].index("异议")
        return [row[column] for row in rows[1:]]

    assert objection_cells() == [None]
    record(world, world["uninvolved"])
    assert objection_cells() == ["异议处理中"]
