"""Credit repair: the application, each precondition refusing when missing, the grant rerunning
the rating with its history, the refusal, the decision letter; and the rule-set switch."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from inspections.models import Patrol
from ratings.models import Rating, RatingHistory, Repair, RuleSetSwitch
from ratings.repair.letters import repair_decision_pdf
from ratings.repair.services import (
    repair_apply,
    repair_decide,
    repair_missing_preconditions,
    ruleset_switch,
)
from ratings.services import employer_rerate, ratings_rerate_due
from tests.clock import frozen_today
from tests.factories import CaseFactory, EmployerFactory, PatrolFactory
from tests.pdfs import needs_pdftotext, pdf_text

from .cases import penalty_case

D = datetime.date
TODAY = D(2026, 11, 15)
DECIDED = D(2026, 6, 1)


@pytest.fixture(autouse=True)
def english():
    """The messages are asserted in their English source text."""
    with translation.override("en"):
        yield


today = frozen_today(TODAY)


@pytest.fixture
def penalised(db, today, unit_lqz):
    """A C4 employer whose every precondition of repair is met."""
    employer = EmployerFactory(unit=unit_lqz, name="津西精密机械有限公司")
    case = penalty_case(
        employer,
        number="西青人社监〔2026〕041号",
        decided=DECIDED,
        penalty_amount=5000,
        fine_due_on=D(2026, 6, 30),
        fine_paid_on=D(2026, 6, 20),
        order_issued=True,
        order_deadline=D(2026, 7, 1),
        order_rectified_on=D(2026, 6, 25),
    )
    PatrolFactory(employer=employer, patrolled_on=D(2026, 10, 8), outcome=Patrol.Outcome.COMPLIANT)
    employer_rerate(employer_id=employer.pk, cause="command", today=TODAY)
    return employer, case


def _apply(employer, **kw):
    kw.setdefault("corrected_on", D(2026, 6, 25))
    return repair_apply(employer=employer, code="C4", applied_on=D(2026, 11, 1), **kw)


def test_an_application_copies_the_clause_and_its_cases(penalised):
    employer, case = penalised
    repair = _apply(employer)
    assert (repair.code, repair.case_ids, repair.clause_since) == ("C4", [case.pk], DECIDED)
    assert repair_missing_preconditions(repair, today=TODAY) == []


@pytest.mark.parametrize("code", ["C2", "C3", "N3"])
def test_self_ending_clauses_are_not_repaired(penalised, code):
    with pytest.raises(ValidationError, match="ends by itself"):
        repair_apply(employer=penalised[0], code=code, applied_on=TODAY)


def test_a_clause_the_rating_does_not_have_is_refused(penalised):
    with pytest.raises(ValidationError, match="no clause C5"):
        repair_apply(employer=penalised[0], code="C5", applied_on=TODAY)


def test_a_second_pending_application_is_refused(penalised):
    _apply(penalised[0])
    with pytest.raises(ValidationError, match="already pending"):
        _apply(penalised[0])


def _missing(repair) -> str:
    return " ".join(repair_missing_preconditions(repair, today=TODAY))


def test_each_missing_precondition_refuses_naming_it(penalised, supervisor):
    employer, case = penalised
    repair = _apply(employer, corrected_on=None)
    assert "not corrected" in _missing(repair)
    repair.corrected_on = D(2026, 6, 25)
    repair.save()
    assert _missing(repair) == ""

    # the order of the case not rectified
    type(case).objects.filter(pk=case.pk).update(order_rectified_on=None)
    assert "not corrected (西青人社监〔2026〕041号)" in _missing(repair)
    type(case).objects.filter(pk=case.pk).update(order_rectified_on=D(2026, 6, 25))

    # the fine not paid
    type(case).objects.filter(pk=case.pk).update(fine_paid_on=None)
    assert "fine is not paid (西青人社监〔2026〕041号)" in _missing(repair)
    type(case).objects.filter(pk=case.pk).update(fine_paid_on=D(2026, 6, 20))

    # no follow-up patrol that found the employer compliant after the clause began
    Patrol.objects.filter(employer=employer).update(outcome=Patrol.Outcome.CASE_OPENED)
    assert "No follow-up patrol after 2026-06-01" in _missing(repair)
    Patrol.objects.filter(employer=employer).update(
        outcome=Patrol.Outcome.COMPLIANT, patrolled_on=D(2026, 5, 1)
    )
    assert "No follow-up patrol" in _missing(repair)
    Patrol.objects.filter(employer=employer).update(patrolled_on=D(2026, 10, 8))

    # the minimum time not passed
    with pytest.raises(ValidationError) as caught:
        repair_decide(
            repair=repair, grant=True, reasons="", decided_by=supervisor, today=D(2026, 8, 31)
        )
    assert "minimum time in C for C4 (3 months)" in " ".join(caught.value.messages)
    assert "2026-09-01" in " ".join(caught.value.messages)
    repair.refresh_from_db()
    assert repair.is_pending


def test_a_grant_with_a_precondition_missing_changes_nothing(penalised, supervisor):
    employer, _case = penalised
    repair = _apply(employer, corrected_on=None)
    history = RatingHistory.objects.count()
    with pytest.raises(ValidationError):
        repair_decide(repair=repair, grant=True, reasons="", decided_by=supervisor, today=TODAY)
    assert Rating.objects.get(employer=employer).level == "C"
    assert RatingHistory.objects.count() == history


def test_a_grant_stops_the_clause_and_the_history_names_the_decision(penalised, supervisor):
    employer, _case = penalised
    repair = repair_decide(
        repair=_apply(employer), grant=True, reasons="已整改", decided_by=supervisor, today=TODAY
    )
    assert repair.status == Repair.Status.GRANTED
    assert repair.decision_number == "西青人社信修〔2026〕1号"
    rating = Rating.objects.get(employer=employer)
    assert (rating.level, rating.clause_codes) == ("B", "")
    entry = RatingHistory.objects.filter(employer=employer).first()
    assert (entry.cause, entry.cause_detail) == ("repair", "西青人社信修〔2026〕1号")
    assert entry.get_cause_display() == "Repaired by decision"
    # Later reruns keep the repair.
    assert employer_rerate(employer_id=employer.pk, cause="command", today=TODAY).level == "B"


def test_a_refusal_needs_reasons(penalised, supervisor):
    repair = _apply(penalised[0])
    with pytest.raises(ValidationError, match="reasons"):
        repair_decide(repair=repair, grant=False, reasons=" ", decided_by=supervisor, today=TODAY)
    refused = repair_decide(
        repair=repair, grant=False, reasons="尚未复查", decided_by=supervisor, today=TODAY
    )
    assert refused.status == Repair.Status.REFUSED
    assert Rating.objects.get(employer=penalised[0]).level == "C"
    with pytest.raises(ValidationError, match="already decided"):
        repair_decide(repair=refused, grant=True, reasons="", decided_by=supervisor, today=TODAY)


@needs_pdftotext
def test_the_decision_letter_says_what_was_decided(penalised, supervisor):
    repair = repair_decide(
        repair=_apply(penalised[0]),
        grant=True,
        reasons="已整改",
        decided_by=supervisor,
        today=TODAY,
    )
    pdf = repair_decision_pdf(repair)
    text = pdf_text(pdf)
    for expected in (
        "津西精密机械有限公司",
        "西青人社信修〔2026〕1号",
        "C4",
        "西青人社监〔2026〕041号",
        "60",
        "6",
    ):
        assert expected in text


def test_the_supervisor_grants_on_the_page(penalised, client_supervisor, client_lqz):
    employer, _case = penalised
    repair = _apply(employer)
    url = reverse("ratings:repair_decide", kwargs={"pk": repair.pk})
    assert client_lqz.post(url, {"decision": "grant"}).status_code == 403
    response = client_supervisor.post(url, {"decision": "grant", "reasons": "已整改"})
    assert response.status_code == 302
    assert Rating.objects.get(employer=employer).level == "B"
    letter = client_supervisor.get(reverse("ratings:repair_letter", kwargs={"pk": repair.pk}))
    assert letter["Content-Type"] == "application/pdf"


def test_the_inspector_records_the_application_on_the_page(penalised, client_lqz, client_ylq):
    employer, _case = penalised
    url = reverse("ratings:repair_create", kwargs={"pk": employer.pk})
    assert client_ylq.get(url).status_code == 404
    data = {"code": "C4", "applied_on": "2026-11-01", "corrected_on": "2026-06-25"}
    response = client_lqz.post(url, data)
    assert response.status_code == 302
    assert Repair.objects.get(employer=employer).is_pending


# --- the rule-set switch ----------------------------------------------------------------------


def test_a_switch_reruns_every_rating_and_shows_in_the_history(db, today, admin_user):
    employer = EmployerFactory()
    CaseFactory(employer=employer, opened_on=D(2026, 6, 1), obstructed_inspection=True)
    plain = EmployerFactory()
    employer_rerate(employer_id=employer.pk, cause="command", today=TODAY)
    employer_rerate(employer_id=plain.pk, cause="command", today=TODAY)
    assert Rating.objects.get(employer=employer).level == "A"
    ruleset_switch(
        ruleset_id="national-2016", effective_on=TODAY, switched_by=admin_user, today=TODAY
    )
    rating = Rating.objects.get(employer=employer)
    assert (rating.level, rating.clause_codes, rating.ruleset_version) == (
        "C",
        "N2",
        "national-2016",
    )
    assert RatingHistory.objects.filter(employer=employer).first().cause == "ruleset_switch"
    # An employer the switch does not change gets no history entry.
    assert not RatingHistory.objects.filter(employer=plain, cause="ruleset_switch").exists()
    assert RuleSetSwitch.objects.get().applied_at is not None


def test_a_switch_effective_later_waits_for_its_day(db, today, admin_user):
    employer = EmployerFactory()
    CaseFactory(employer=employer, opened_on=D(2026, 6, 1), forced_labour=True)
    employer_rerate(employer_id=employer.pk, cause="command", today=TODAY)
    ruleset_switch(
        ruleset_id="national-2016",
        effective_on=D(2026, 12, 1),
        switched_by=admin_user,
        today=TODAY,
    )
    assert Rating.objects.get(employer=employer).level == "A"
    ratings_rerate_due(today=D(2026, 12, 1))
    assert Rating.objects.get(employer=employer).clause_codes == "N1"
    # The sweep applies a switch once.
    assert ratings_rerate_due(today=D(2026, 12, 2)).line != ""
    assert RatingHistory.objects.filter(employer=employer, cause="ruleset_switch").count() == 1


def test_only_an_admin_switches(client_supervisor, client_admin, db):
    url = reverse("ratings:ruleset_switch")
    data = {"ruleset_id": "national-2016", "effective_on": "2030-01-01"}
    assert client_supervisor.post(url, data).status_code == 403
    assert client_admin.post(url, data).status_code == 302
    assert RuleSetSwitch.objects.get().switched_by.username
    assert client_supervisor.get(reverse("ratings:rulesets")).status_code == 200


def test_the_replay_page_shows_the_counts(client_supervisor, db):
    employer = EmployerFactory()
    CaseFactory(employer=employer, opened_on=D(2026, 6, 1), forced_labour=True)
    response = client_supervisor.get(reverse("ratings:replay"), {"rules": "national-2016"})
    assert response.status_code == 200
    assert "replay rules=national-2016" in response.content.decode()
