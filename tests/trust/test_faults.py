"""Faults injected into a running system: what still works, what says so, what is never lost.

(a) Redis unreachable: records still save through the browser forms and the rating follows at
    once (the rerun on a record change runs in the web process after the commit); queuing a
    coverage run from the dashboard says the queue is down instead of failing; the admins'
    banner says the scheduler cannot work.
(b) A coverage run that fails halfway leaves the previous complete result; a rerun leaves one
    complete result per unit. The service-level version (a check that kills the worker) is
    tests/supervision/test_coverage_run.py::test_a_run_killed_halfway_leaves_the_previous_
    complete_result; here the same fault goes through the dashboard's run button.
(c) Concurrent edits of one employer's cases from threads leave one correct current rating
    (PostgreSQL; tests/ratings/test_engine_services.py::test_concurrent_reruns_leave_one_
    rating_and_one_history_entry covers concurrent reruns alone).
(d) Every CheckConstraint of Case refuses a raw write in the database, and the same data sent
    through the case form becomes an error on the field, never a 500.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterator

import kombu.exceptions
import pytest
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.test import Client, override_settings
from django.urls import reverse

from inspections.items import Item
from inspections.models import Case, Patrol
from inspections.models.case_dates import CASE_DATE_ORDER, CASE_DATE_ORDER_CONSTRAINTS
from ratings.models import Rating, RatingHistory
from ratings.services import employer_rerate
from supervision import checks
from supervision import context_processors as scheduler_health
from supervision.models import CheckCode, CoverageCheck, CoverageResult, CoverageRun
from supervision.months import format_month, previous_month
from supervision.services import coverage_check_month
from tests.conftest import LQZ, make_user
from tests.factories import CaseFactory, EmployerFactory
from xiqing_credit.celery import app as celery_app

UNREACHABLE = "redis://127.0.0.1:1/0"
TODAY = datetime.date.today()


def _login(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


# --------------------------------------------------------------------------------------------
# (a) Redis unreachable
# --------------------------------------------------------------------------------------------


@pytest.fixture
def redis_down() -> Iterator[None]:
    """The broker is unreachable and tasks really go to it (no eager shortcut), as in
    production with Redis stopped. Celery's app reads its settings once, so its broker is
    pointed there too, and its connection pools are dropped before and after."""
    saved = {
        "broker_url": celery_app.conf.broker_url,
        "task_always_eager": celery_app.conf.task_always_eager,
    }
    with override_settings(
        CELERY_BROKER_URL=UNREACHABLE, REDIS_URL=UNREACHABLE, CELERY_TASK_ALWAYS_EAGER=False
    ):
        celery_app.conf.update(broker_url=UNREACHABLE, task_always_eager=False)
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
        scheduler_health._ping_cache.clear()
        try:
            yield
        finally:
            celery_app.conf.update(saved)
            celery_app._pool = None
            celery_app.amqp._producer_pool = None
            scheduler_health._ping_cache.clear()


def test_the_broker_is_really_unreachable_in_these_tests(redis_down):
    with (
        pytest.raises(kombu.exceptions.OperationalError),
        celery_app.connection_for_write() as conn,
    ):
        conn.ensure_connection(max_retries=1)


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_records_save_and_ratings_follow(
    redis_down, inspector_lqz, inspector_lqz2, employer_lqz
):
    client = _login(inspector_lqz)
    decided = TODAY - datetime.timedelta(days=20)
    case = CaseFactory(
        employer=employer_lqz,
        opened_on=decided - datetime.timedelta(days=5),
        decided_on=decided,
        order_issued=True,
        order_deadline=decided + datetime.timedelta(days=60),
    )
    case.inspectors.set([inspector_lqz, inspector_lqz2])
    assert Rating.objects.get(employer=employer_lqz).level == "B"

    # a penalty recorded on the case form: saved, and the employer turns C at once
    response = client.post(
        reverse("inspections:case_edit", kwargs={"pk": case.pk}),
        {
            "number": case.number,
            "source": case.source,
            "opened_on": case.opened_on.isoformat(),
            "inspectors": [inspector_lqz.pk, inspector_lqz2.pk],
            "decided_on": decided.isoformat(),
            "order_issued": "on",
            "order_deadline": case.order_deadline.isoformat(),
            "penalty_issued": "on",
            "penalty_number": "西青人社罚〔2026〕031号",
            "penalty_amount": "20000",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.penalty_issued and case.penalty_amount == 20000
    rating = Rating.objects.get(employer=employer_lqz)
    assert (rating.level, rating.clause_codes) == ("C", "C4")
    assert RatingHistory.objects.filter(employer=employer_lqz, level="C").exists()

    # a patrol is saved too
    response = client.post(
        f"{reverse('inspections:patrol_create')}?employer={employer_lqz.credit_code}",
        {
            "patrolled_on": TODAY.isoformat(),
            "inspectors": [inspector_lqz.pk, inspector_lqz2.pk],
            "outcome": Patrol.Outcome.COMPLIANT,
            **{f"check_{item}": "not_checked" for item in Item.values},
        },
    )
    assert response.status_code == 302
    assert Patrol.objects.filter(employer=employer_lqz).count() == 1


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_the_run_button_says_the_queue_is_down(redis_down, supervisor):
    client = _login(supervisor)
    month = format_month(previous_month())

    response = client.post(reverse("supervision:run"), {"month": month}, follow=True)

    assert response.status_code == 200
    text = response.content.decode()
    assert "任务队列（Redis）无法连接" in text
    run = CoverageRun.objects.get()
    assert run.status == CoverageRun.Status.FAILED
    assert "broker unreachable" in run.error
    assert not CoverageResult.objects.exists()
    # the failed attempt does not block a second try (it is not "already queued")
    again = client.post(reverse("supervision:run"), {"month": month}, follow=True)
    assert "任务队列（Redis）无法连接" in again.content.decode()
    assert CoverageRun.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_admins_see_the_scheduler_banner(redis_down, admin_user, supervisor):
    """The banner itself is tested in tests/supervision/test_scheduler_health.py; here it is
    seen in the same outage as the saves above, and only by admins."""
    html = _login(admin_user).get("/employers/").content.decode()
    assert 'data-testid="scheduler-banner"' in html
    assert "任务队列" in html or "Redis" in html
    assert (
        'data-testid="scheduler-banner"'
        not in _login(supervisor).get("/employers/").content.decode()
    )


# --------------------------------------------------------------------------------------------
# (b) A coverage run that fails halfway, through the dashboard
# --------------------------------------------------------------------------------------------


class _DiesAfterFirstUnits(dict):
    """The outcomes of a check whose worker dies after the first three units."""

    def items(self):
        for position, pair in enumerate(super().items()):
            if position == 3:
                raise ConnectionError("server closed the connection unexpectedly")
            yield pair


@pytest.mark.django_db(transaction=True)
@override_settings(CELERY_TASK_ALWAYS_EAGER=True, CELERY_TASK_EAGER_PROPAGATES=False)
def test_a_run_failing_halfway_from_the_dashboard_keeps_the_previous_result(
    supervisor, unit_lqz, monkeypatch
):
    """Eager tasks, as `make run` has them: the failure shows on the dashboard, the previous
    month's results stay whole, and the next run replaces them with one result per unit."""
    cache.clear()
    month = previous_month()
    coverage_check_month(month=month)
    before = set(CoverageCheck.objects.values_list("pk", flat=True))
    assert len(before) == 13 * len(CheckCode)
    client = _login(supervisor)

    real = checks.CHECKS[2]
    broken = list(checks.CHECKS)
    broken[2] = checks.CheckDefinition(
        real.code,
        lambda period, unit_ids: _DiesAfterFirstUnits(real.measure(period, unit_ids)),
        real.subject,
        real.comparison,
        real.percent,
    )
    monkeypatch.setattr(checks, "CHECKS", broken)
    monkeypatch.setattr("supervision.services.CHECKS", broken)
    celery_app.conf.update(task_always_eager=True, task_eager_propagates=False)
    try:
        response = client.post(
            reverse("supervision:run"), {"month": format_month(month)}, follow=True
        )
    finally:
        celery_app.conf.update(task_always_eager=True, task_eager_propagates=True)
    assert response.status_code == 200
    assert "原有结果保持不变" in response.content.decode()
    run = CoverageRun.objects.get(source=CoverageRun.Source.DASHBOARD)
    assert run.status == CoverageRun.Status.FAILED and "ConnectionError" in run.error
    assert set(CoverageCheck.objects.values_list("pk", flat=True)) == before

    monkeypatch.undo()
    response = client.post(reverse("supervision:run"), {"month": format_month(month)}, follow=True)
    assert response.status_code == 200
    assert CoverageResult.objects.filter(month=month).count() == 13
    for result in CoverageResult.objects.filter(month=month):
        assert result.checks.count() == result.checks_total == len(CheckCode)
    assert CoverageCheck.objects.count() == 13 * len(CheckCode)
    assert not set(CoverageCheck.objects.values_list("pk", flat=True)) & before


# --------------------------------------------------------------------------------------------
# (c) Concurrent edits of one employer's cases
# --------------------------------------------------------------------------------------------


def _case_post(case: Case, inspectors: list[int], **changes: str) -> dict:
    data = {
        "number": case.number,
        "source": case.source,
        "opened_on": case.opened_on.isoformat(),
        "inspectors": inspectors,
        "decided_on": case.decided_on.isoformat() if case.decided_on else "",
    }
    for flag, fields in (
        ("order_issued", ("order_deadline", "order_rectified_on")),
        ("decision_issued", ("decision_number", "decision_deadline", "decision_fulfilled_on")),
        ("penalty_issued", ("penalty_number", "penalty_amount")),
    ):
        if getattr(case, flag):
            data[flag] = "on"
            for name in fields:
                value = getattr(case, name)
                data[name] = value.isoformat() if hasattr(value, "isoformat") else value or ""
    if case.mass_incident:
        data["mass_incident"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v not in (None, "")}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need PostgreSQL: SQLite serialises the whole database and its "
    "in-memory test database is not shared between threads",
)
@pytest.mark.parametrize("round_", range(3))
def test_concurrent_edits_of_one_employers_cases_leave_one_correct_rating(round_, unit_lqz):
    lqz = make_user(f"insp_conc_a{round_}", "inspector", (LQZ,))
    colleague = make_user(f"insp_conc_b{round_}", "inspector", (LQZ,))
    employer = EmployerFactory(unit=unit_lqz)
    decided = TODAY - datetime.timedelta(days=40)
    base = {"employer": employer, "opened_on": decided - datetime.timedelta(days=3)}
    overdue_order = CaseFactory(
        **base,
        decided_on=decided,
        order_issued=True,
        order_deadline=decided + datetime.timedelta(days=10),
    )
    penalty = CaseFactory(
        **base, decided_on=decided, penalty_issued=True, penalty_number="罚1", penalty_amount=5000
    )
    incident = CaseFactory(**base, decided_on=decided, mass_incident=True)
    plain = CaseFactory(**base)
    for case in (overdue_order, penalty, incident, plain):
        case.inspectors.set([lqz, colleague])
    employer_rerate(employer_id=employer.pk, cause="command")
    start = Rating.objects.get(employer=employer)
    assert (start.level, start.clause_codes) == ("C", "C2;C4;C5")

    people = [lqz.pk, colleague.pk]
    in_a_month = (TODAY + datetime.timedelta(days=30)).isoformat()
    edits = [
        (overdue_order, _case_post(overdue_order, people, order_rectified_on=TODAY.isoformat())),
        (
            penalty,
            {k: v for k, v in _case_post(penalty, people).items() if not k.startswith("penalty")},
        ),
        (incident, {k: v for k, v in _case_post(incident, people).items() if k != "mass_incident"}),
        (
            plain,
            _case_post(
                plain,
                people,
                decided_on=TODAY.isoformat(),
                order_issued="on",
                order_deadline=in_a_month,
            ),
        ),
    ]
    barrier = threading.Barrier(len(edits), timeout=30)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def edit(case: Case, data: dict) -> None:
        try:
            client = _login(lqz)
            barrier.wait()
            response = client.post(reverse("inspections:case_edit", kwargs={"pk": case.pk}), data)
            statuses.append(response.status_code)
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=pair) for pair in edits]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert statuses == [302] * len(edits)
    # every edit landed ...
    overdue_order.refresh_from_db()
    penalty.refresh_from_db()
    incident.refresh_from_db()
    plain.refresh_from_db()
    assert overdue_order.order_rectified_on == TODAY
    assert not penalty.penalty_issued and not incident.mass_incident and plain.order_issued
    # ... and the one current rating reflects all of them: two sanctions, no C clause
    assert Rating.objects.filter(employer=employer).count() == 1
    rating = Rating.objects.get(employer=employer)
    assert (rating.level, rating.clause_codes) == ("B", "")
    last = RatingHistory.objects.filter(employer=employer).order_by("-computed_at", "-pk").first()
    assert (last.level, last.clause_codes) == ("B", "")
    # a fresh rerun finds nothing to change
    again = employer_rerate(employer_id=employer.pk, cause="command")
    assert (again.level, again.clause_codes, again.computed_at) == (
        rating.level,
        rating.clause_codes,
        rating.computed_at,
    )


# --------------------------------------------------------------------------------------------
# (d) Database constraints become form errors
# --------------------------------------------------------------------------------------------

D = datetime.date(2026, 3, 10)

# constraint -> (raw values the database must refuse, form fields, field with the error,
# the Chinese message the user reads)
CONSTRAINT_CASES = {
    "case_order_fields_need_order": (
        {"order_rectified_on": D},
        {"decided_on": "2026-03-10", "order_rectified_on": "2026-03-20"},
        "order_rectified_on",
        "勾选",
    ),
    "case_decision_fields_need_decision": (
        {"decision_deadline": D},
        {"decided_on": "2026-03-10", "decision_deadline": "2026-04-10"},
        "decision_deadline",
        "勾选",
    ),
    "case_amount_needs_penalty": (
        {"penalty_amount": 100},
        {"penalty_amount": "100"},
        "penalty_amount",
        "勾选",
    ),
    "case_amount_not_negative": (
        {"penalty_issued": True, "decided_on": D, "penalty_amount": -1},
        {"decided_on": "2026-03-10", "penalty_issued": "on", "penalty_amount": "-1"},
        "penalty_amount",
        "罚款金额不能为负",
    ),
    "case_order_deadline_after_decision": (
        {"order_issued": True, "decided_on": D, "order_deadline": D - datetime.timedelta(days=1)},
        {"decided_on": "2026-03-10", "order_issued": "on", "order_deadline": "2026-03-09"},
        "order_deadline",
        "期限不能早于决定日期",
    ),
    "case_decision_deadline_after_decision": (
        {
            "decision_issued": True,
            "decided_on": D,
            "decision_deadline": D - datetime.timedelta(days=1),
        },
        {"decided_on": "2026-03-10", "decision_issued": "on", "decision_deadline": "2026-03-09"},
        "decision_deadline",
        "期限不能早于决定日期",
    ),
    "case_decided_after_opened": (
        {"decided_on": datetime.date(2026, 2, 1)},
        {"decided_on": "2026-02-01"},
        "decided_on",
        "决定日期不能早于立案日期",
    ),
}


# The date-order rules are one table (inspections/models/case_dates.py): each is refused by the
# database below, and by Case.clean() with its message (tests/inspections).
MEASURE_OF_DATE = {
    "order_deadline": {"order_issued": True},
    "order_rectified_on": {"order_issued": True},
    "decision_deadline": {"decision_issued": True},
    "decision_fulfilled_on": {"decision_issued": True},
    "fine_due_on": {"penalty_issued": True},
    "fine_paid_on": {"penalty_issued": True},
}


def test_every_case_constraint_is_covered():
    names = {c.name for c in Case._meta.constraints}
    # the serious flag is set only on the supervisor's own form (tested below); the fine's dates
    # need a penalty like the amount does
    assert names == set(CONSTRAINT_CASES) | CASE_DATE_ORDER_CONSTRAINTS | {
        "case_serious_needs_reason",
        "case_fine_dates_need_penalty",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("later", "earlier", "constraint"),
    [(later, earlier, name) for later, earlier, _message, name in CASE_DATE_ORDER],
    ids=[name for *_rest, name in CASE_DATE_ORDER],
)
def test_the_database_refuses_a_date_before_the_one_it_follows(
    later, earlier, constraint, employer_lqz
):
    case = CaseFactory(employer=employer_lqz, opened_on=datetime.date(2026, 3, 1))
    # only the date the rule compares with, so no other rule of the table fires first
    base = dict(MEASURE_OF_DATE.get(later, {}))
    if earlier == "decided_on":
        base["decided_on"] = datetime.date(2026, 3, 10)
    Case.objects.filter(pk=case.pk).update(**base)
    too_early = base.get(earlier, case.opened_on) - datetime.timedelta(days=1)
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(**{later: too_early})


@pytest.mark.django_db
def test_the_database_refuses_fine_dates_without_a_penalty(employer_lqz):
    case = CaseFactory(employer=employer_lqz, opened_on=datetime.date(2026, 3, 1))
    with pytest.raises(IntegrityError, match="case_fine_dates_need_penalty"), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(fine_due_on=datetime.date(2026, 4, 1))


@pytest.mark.django_db
@pytest.mark.parametrize("constraint", sorted(CONSTRAINT_CASES))
def test_the_database_refuses_what_the_constraint_forbids(constraint, employer_lqz):
    raw, _form, _field, _message = CONSTRAINT_CASES[constraint]
    case = CaseFactory(employer=employer_lqz, opened_on=datetime.date(2026, 3, 1))
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(**raw)


@pytest.mark.django_db
@pytest.mark.parametrize("constraint", sorted(CONSTRAINT_CASES))
@pytest.mark.parametrize("form", ["create", "edit"])
def test_the_case_form_turns_each_constraint_into_a_field_error(
    constraint, form, client_lqz, inspector_lqz, inspector_lqz2, employer_lqz
):
    _raw, fields, field, message = CONSTRAINT_CASES[constraint]
    data = {
        "source": Case.Source.PATROL,
        "opened_on": "2026-03-01",
        "inspectors": [inspector_lqz.pk, inspector_lqz2.pk],
        **fields,
    }
    if form == "create":
        url = f"{reverse('inspections:case_create')}?employer={employer_lqz.credit_code}"
    else:
        case = CaseFactory(employer=employer_lqz, opened_on=datetime.date(2026, 3, 1))
        case.inspectors.set([inspector_lqz, inspector_lqz2])
        data["number"] = case.number
        url = reverse("inspections:case_edit", kwargs={"pk": case.pk})
    before = list(Case.objects.values())

    response = client_lqz.post(url, data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(message in e for e in errors[field]), errors[field]
    assert message in response.content.decode()
    assert list(Case.objects.values()) == before


@pytest.mark.django_db
def test_judging_serious_without_a_reason_is_refused_with_a_message(
    client_supervisor, employer_lqz
):
    case = CaseFactory(employer=employer_lqz)
    with pytest.raises(IntegrityError, match="case_serious_needs_reason"), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(serious=True)

    response = client_supervisor.post(
        reverse("inspections:case_serious", kwargs={"pk": case.pk}),
        {"serious": "on", "serious_reason": "   "},
        follow=True,
    )

    assert response.status_code == 200
    assert "认定情节严重须填写理由" in response.content.decode()
    case.refresh_from_db()
    assert not case.serious and case.history.count() == 1


@pytest.mark.django_db
def test_a_case_number_already_used_is_an_error_on_the_number(
    client_lqz, inspector_lqz, inspector_lqz2, employer_lqz
):
    """The unique constraint on the number: typed by hand on a new case."""
    taken = CaseFactory(employer=employer_lqz)
    response = client_lqz.post(
        f"{reverse('inspections:case_create')}?employer={employer_lqz.credit_code}",
        {
            "number": taken.number,
            "source": Case.Source.PATROL,
            "opened_on": "2026-03-01",
            "inspectors": [inspector_lqz.pk, inspector_lqz2.pk],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["number"]
    assert Case.objects.count() == 1
