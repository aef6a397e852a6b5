"""Every URL of the project, for every persona: allowed, denied, or not found, as designed.

The matrix below must name every URL pattern (the admin site excepted: Django's own permission
system guards it, and it is tested once at the end). A new URL without an entry fails
``test_every_url_has_an_entry``.

Personas: anonymous; ``own`` = inspector of the record's unit (李七庄); ``other`` = inspector of
another unit (杨柳青); supervisor; admin; ``partner`` = a client presenting a valid partner API
key and no session.

Outcomes (for a GET):
  OK    200, or a redirect that is not to the login page
  LOGIN redirect to /accounts/login/
  DENY  403
  NF    404 (the object is out of the persona's scope: it is not even confirmed to exist)
  POST  the view only takes POST and answers 405 to GET (the POST itself is checked for the
        denied personas in ``test_posts_are_refused_out_of_scope``)
  KEY   401/403 from the API without a valid key
"""

import datetime
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from imports.models import ImportBatch
from partners.models import PartnerKey
from planning.models import TrainingAttendance, TrainingSession
from ratings.models import YearlyEvaluation
from tests.complaints.factories import register
from tests.factories import CaseFactory, PatrolFactory
from tests.inspections.factories import WrittenReviewFactory

FIXTURES = Path(__file__).parent / "fixtures"

PERSONAS = ("anonymous", "own", "other", "supervisor", "admin", "partner")

OK, LOGIN, DENY, NF, POST, KEY = "OK", "LOGIN", "DENY", "NF", "POST", "KEY"


def row(anonymous, own, other, supervisor, admin, partner=None) -> dict[str, str]:
    return dict(
        zip(
            PERSONAS,
            (anonymous, own, other, supervisor, admin, partner or anonymous),
            strict=True,
        )
    )


# Reading lists: anybody with a role; the list itself is scoped (tested per app).
LIST = row(LOGIN, OK, OK, OK, OK)
# A record of the 李七庄 unit: its inspectors, supervisors and admins read it; others get 404.
RECORD = row(LOGIN, OK, NF, OK, OK)
# Changing a record: its unit's inspectors and admins; supervisors read only.
CHANGE = row(LOGIN, OK, NF, DENY, OK)
# Creating a record from a blank form: any inspector (scope applies to the employer picked).
CREATE = row(LOGIN, OK, OK, DENY, OK)
ADMIN_ONLY = row(LOGIN, DENY, DENY, DENY, OK)
SUPERVISOR_ONLY = row(LOGIN, DENY, DENY, OK, OK)
# Views that only take POST: every logged-in persona gets 405 to a GET; who may POST is in
# POST_REFUSED below.
POST_ONLY = row(LOGIN, POST, POST, POST, POST)

# For POST-only views: the personas whose POST must be refused (403 or 404), with nothing changed.
POST_REFUSED: dict[str, set[str]] = {
    "employers:import_confirm": {"own", "other", "supervisor"},
    "employers:import_cancel": {"own", "other", "supervisor"},
    "employers:import_retry": {"own", "other", "supervisor"},
    "inspections:patrol_evidence": {"other", "supervisor"},
    "inspections:review_return": {"other", "supervisor"},
    "inspections:review_resubmit": {"other", "supervisor"},
    "inspections:review_conclude": {"other", "supervisor"},
    "inspections:review_evidence": {"other", "supervisor"},
    "inspections:case_serious": {"own", "other"},
    "inspections:case_withdraw": {"other", "supervisor"},
    "inspections:case_close": {"other", "supervisor"},
    "inspections:case_evidence": {"other", "supervisor"},
    "ratings:yearly_mark_notified": {"own", "other"},
    "ratings:objection_decide": {"own", "other"},
    "ratings:repair_decide": {"own", "other", "admin"},
    "ratings:ruleset_switch": {"own", "other", "supervisor"},
}

MATRIX: dict[str, dict[str, str]] = {
    "home": row(LOGIN, OK, OK, OK, OK),
    "health": row(OK, OK, OK, OK, OK),
    "login": row(OK, OK, OK, OK, OK),
    "logout": row(LOGIN, POST, POST, POST, POST),
    "set_language": row(OK, OK, OK, OK, OK),
    # employers
    "employers:list": LIST,
    "employers:export": LIST,
    "employers:create": CREATE,
    "employers:detail": RECORD,
    "employers:edit": CHANGE,
    "employers:deregister": CHANGE,
    "employers:import_list": ADMIN_ONLY,
    "employers:import_roster": ADMIN_ONLY,
    "employers:import_detail": ADMIN_ONLY,
    "employers:import_confirm": POST_ONLY,
    "employers:import_report": ADMIN_ONLY,
    "employers:import_progress": ADMIN_ONLY,
    "employers:import_cancel": POST_ONLY,
    "employers:import_retry": POST_ONLY,
    "employers:staff_home": ADMIN_ONLY,
    "employers:staff_users": ADMIN_ONLY,
    "employers:staff_user_create": ADMIN_ONLY,
    "employers:staff_user_edit": ADMIN_ONLY,
    "employers:staff_user_action": ADMIN_ONLY,
    # inspections
    "inspections:patrol_list": LIST,
    "inspections:patrol_export": LIST,
    "inspections:patrol_create": CREATE,
    "inspections:patrol_detail": RECORD,
    "inspections:patrol_edit": CHANGE,
    "inspections:patrol_evidence": POST_ONLY,
    "inspections:review_list": LIST,
    "inspections:review_overdue": LIST,
    "inspections:review_export": LIST,
    "inspections:review_create": CREATE,
    "inspections:review_detail": RECORD,
    "inspections:review_edit": CHANGE,
    "inspections:review_return": POST_ONLY,
    "inspections:review_resubmit": POST_ONLY,
    "inspections:review_conclude": POST_ONLY,
    "inspections:review_evidence": POST_ONLY,
    "inspections:case_list": LIST,
    "inspections:case_export": LIST,
    "inspections:case_create": CREATE,
    "inspections:case_import": ADMIN_ONLY,
    "inspections:case_import_preview": ADMIN_ONLY,
    "inspections:case_import_report": ADMIN_ONLY,
    "inspections:case_detail": RECORD,
    "inspections:case_edit": CHANGE,
    "inspections:case_serious": POST_ONLY,
    "inspections:case_withdraw": POST_ONLY,
    "inspections:case_close": POST_ONLY,
    "inspections:case_evidence": POST_ONLY,
    # GET: the document (a draft until numbered); POST numbers it (the unit's inspectors, admins)
    "inspections:case_order_document": RECORD,
    "inspections:case_decision_document": RECORD,
    "inspections:evidence_download": RECORD,
    # complaints
    "complaints:list": LIST,
    "complaints:summary": LIST,
    "complaints:export": LIST,
    "complaints:create": CREATE,
    "complaints:employer_search": LIST,
    "complaints:detail": RECORD,
    "complaints:edit": CHANGE,
    "complaints:history": RECORD,
    "complaints:accept": CHANGE,
    "complaints:reject": CHANGE,
    "complaints:supplement": CHANGE,
    "complaints:supplemented": CHANGE,
    "complaints:close": CHANGE,
    "complaints:answer": CHANGE,
    "complaints:link": CHANGE,
    "complaints:assign": row(LOGIN, DENY, NF, OK, OK),
    "complaints:extension_request": row(LOGIN, OK, NF, DENY, DENY),
    "complaints:extension_decide": row(LOGIN, DENY, NF, OK, DENY),
    # ratings: engine pages
    "ratings:early_warning": LIST,
    "ratings:early_warning_export": LIST,
    "ratings:yearly": SUPERVISOR_ONLY,
    "ratings:yearly_run": SUPERVISOR_ONLY,
    "ratings:yearly_export": SUPERVISOR_ONLY,
    "ratings:yearly_mark_notified": POST_ONLY,
    "ratings:yearly_notified": SUPERVISOR_ONLY,
    # ratings: the procedure (notices, objections)
    "ratings:notice_list": LIST,
    "ratings:notice_detail": RECORD,
    "ratings:notice_letter": RECORD,
    # service is recorded by the unit's inspectors (and admins); supervisors do not see the form
    "ratings:notice_serve": row(LOGIN, OK, NF, NF, OK),
    "ratings:notice_receipt": RECORD,
    "ratings:objection_create": RECORD,
    "ratings:employer_letter": RECORD,
    "ratings:objection_list": LIST,
    "ratings:objection_detail": RECORD,
    "ratings:objection_decide": POST_ONLY,
    "ratings:objection_letter": RECORD,
    "ratings:objection_attachment": RECORD,
    # ratings: credit repair (a supervisor decides) and the rule sets (an admin switches)
    "ratings:repair_list": LIST,
    "ratings:repair_detail": RECORD,
    "ratings:repair_create": RECORD,
    "ratings:repair_decide": POST_ONLY,
    "ratings:repair_letter": RECORD,
    "ratings:rulesets": SUPERVISOR_ONLY,
    "ratings:ruleset_switch": POST_ONLY,
    "ratings:replay": SUPERVISOR_ONLY,
    # planning: the uses of the level for inspection planning
    "planning:watchlist": LIST,
    "planning:watchlist_export": LIST,
    "planning:patrols_due": LIST,
    "planning:patrols_due_export": LIST,
    "planning:intervals": ADMIN_ONLY,
    "planning:training_list": LIST,
    "planning:training_create": row(LOGIN, OK, OK, OK, OK),
    "planning:training_detail": RECORD,
    "planning:training_edit": RECORD,
    "planning:my_day": row(LOGIN, OK, OK, DENY, DENY),
    "planning:decisions": SUPERVISOR_ONLY,
    "planning:draw_list": LIST,
    "planning:draw_new": SUPERVISOR_ONLY,
    "planning:draw_detail": RECORD,
    "planning:draw_export": SUPERVISOR_ONLY,
    # partners: the exchange with partner departments
    "partners:c_list_export": SUPERVISOR_ONLY,
    "partners:partner_keys": ADMIN_ONLY,
    "partners:partner_key_new": ADMIN_ONLY,
    "partners:partner_key_revoke": ADMIN_ONLY,
    "partners:api_ratings": row(KEY, KEY, KEY, KEY, KEY, OK),
    # core: the working calendar
    "core:calendar": ADMIN_ONLY,
    "core:calendar_year": ADMIN_ONLY,
    # supervision
    "supervision:dashboard": LIST,
    "supervision:export": LIST,
    "supervision:run": SUPERVISOR_ONLY,
    "supervision:cell": RECORD,
}


def url_names() -> list[str]:
    """Every named URL of the project except Django's admin site."""
    names: list[str] = []

    def walk(patterns, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"URL {pattern.pattern} has no name"
                names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return names


def test_every_url_has_an_entry():
    missing = sorted(set(url_names()) - set(MATRIX))
    assert not missing, f"URLs without a permission-matrix entry: {missing}"
    stale = sorted(set(MATRIX) - set(url_names()))
    assert not stale, f"matrix entries for URLs that no longer exist: {stale}"


@pytest.fixture
def world(
    db, inspector_lqz, inspector_lqz2, inspector_ylq, supervisor, admin_user, employer_lqz, tmp_path
):
    """One record of every kind in 李七庄, reachable by every URL that takes an id."""
    from django.core.files.base import ContentFile

    from inspections.models import EvidenceFile
    from ratings.models import Rating

    patrol = PatrolFactory(employer=employer_lqz, patrolled_on=datetime.date(2026, 10, 1))
    patrol.inspectors.set([inspector_lqz])
    review = WrittenReviewFactory(employer=employer_lqz)
    case = CaseFactory(employer=employer_lqz)
    case.inspectors.set([inspector_lqz])
    evidence = EvidenceFile(
        employer=employer_lqz,
        patrol=patrol,
        original_name="现场.pdf",
        content_type="application/pdf",
        size=9,
    )
    evidence.file.save("scene.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    evidence.save()
    complaint = register(user=inspector_lqz, employer=employer_lqz, inspectors=[inspector_lqz])
    from complaints import services as complaint_services
    from supervision.services import coverage_check_month

    complaint = complaint_services.complaint_accept(
        complaint=complaint,
        accepted_on=complaint.received_on + datetime.timedelta(days=1),
        inspectors=[inspector_lqz, inspector_lqz2],
        user=inspector_lqz,
    )
    complaint_services.extension_request(
        complaint=complaint, workdays=20, reason="需要调取银行流水", user=inspector_lqz
    )
    coverage_check_month(month=datetime.date(2026, 10, 1), today=datetime.date(2026, 11, 2))
    roster_batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.ROSTER, user=admin_user, file_name="花名册.xlsx"
    )
    roster_batch.upload.save(
        "roster.xlsx",
        ContentFile((FIXTURES / "李七庄街_用人单位花名册_2026年10月.xlsx").read_bytes()),
    )
    roster_batch.report.save("report.xlsx", ContentFile(b"PK"), save=True)
    cases_batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.CASES, user=admin_user, file_name="台账.xlsx"
    )
    cases_batch.upload.save(
        "cases.xlsx", ContentFile((FIXTURES / "案件台账_示例.xlsx").read_bytes())
    )
    cases_batch.report.save("report.xlsx", ContentFile(b"PK"), save=True)
    session = TrainingSession.objects.create(
        held_on=datetime.date(2026, 10, 15), topic="培训", organiser="监察支队"
    )
    TrainingAttendance.objects.create(
        session=session, employer=employer_lqz, person_name="王伟", role="principal"
    )
    Rating.objects.update_or_create(
        employer=employer_lqz,
        defaults={
            "level": "C",
            "clause_codes": "C4",
            "clauses": [{"code": "C4", "case_ids": [case.pk]}],
            "ruleset_version": "test",
            "since": datetime.date(2026, 9, 1),
            "computed_at": datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC),
        },
    )
    yearly = YearlyEvaluation.objects.create(
        employer=employer_lqz,
        year=2025,
        level="B",
        ruleset_version="test",
        evaluated_at=datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC),
    )
    key_object, key = PartnerKey.objects.create_key(name="市场监管", partner="市场监管局")
    notice, objection, objection_attachment = _procedure_records(employer_lqz, supervisor)
    from ratings.models import Repair

    measured = CaseFactory(
        employer=employer_lqz,
        number="西青人社监〔2026〕900号",
        opened_on=datetime.date(2026, 8, 1),
        decided_on=datetime.date(2026, 8, 10),
        order_issued=True,
        order_deadline=datetime.date(2026, 9, 10),
        decision_issued=True,
        decision_deadline=datetime.date(2026, 9, 30),
    )
    repair = Repair.objects.create(
        employer=employer_lqz,
        code="C4",
        case_ids=[case.pk],
        clause_since=datetime.date(2026, 9, 1),
        applied_on=datetime.date(2026, 10, 1),
        status=Repair.Status.REFUSED,
        decided_on=datetime.date(2026, 10, 9),
        decided_by=supervisor,
        reasons="罚款未缴纳",
        decision_number="西青人社信修〔2026〕1号",
    )
    from planning.draws import draw_create

    draw = draw_create(units=[employer_lqz.unit], seed=1).draw
    return {
        "draw": draw,
        "employer": employer_lqz,
        "patrol": patrol,
        "review": review,
        "case": case,
        "evidence": evidence,
        "complaint": complaint,
        "roster_batch": roster_batch,
        "cases_batch": cases_batch,
        "session": session,
        "yearly": yearly,
        "notice": notice,
        "objection": objection,
        "objection_attachment": objection_attachment,
        "repair": repair,
        "measured_case": measured,
        "key_object": key_object,
        "key": key,
        "personas": {
            "own": inspector_lqz,
            "other": inspector_ylq,
            "supervisor": supervisor,
            "admin": admin_user,
        },
    }


def _procedure_records(employer, reviewer) -> tuple:
    """A served notice with its receipt, and a decided objection with an attachment."""
    from django.core.files.base import ContentFile

    from ratings.models import Notice, Objection, ObjectionAttachment

    notice = Notice(
        employer=employer,
        kind=Notice.Kind.ROLLING,
        level="C",
        clause_codes="C4",
        ruleset_version="test",
        changed_on=datetime.date(2026, 9, 1),
        due_on=datetime.date(2026, 9, 15),
        method=Notice.Method.IN_PERSON,
        served_on=datetime.date(2026, 9, 10),
        receipt_name="回执.pdf",
        receipt_content_type="application/pdf",
    )
    notice.receipt.save("receipt.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    notice.save()
    objection = Objection.objects.create(
        notice=notice,
        employer=employer,
        received_on=datetime.date(2026, 9, 20),
        channel="post",
        ground="facts",
        text="事实有误",
        reviewer=reviewer,
        decision_due_on=datetime.date(2026, 10, 20),
        outcome="rejected",
        reasons="证据确凿",
        decided_on=datetime.date(2026, 10, 9),
        decision_number="西青人社信复〔2026〕1号",
    )
    attachment = ObjectionAttachment(
        objection=objection, original_name="证据.pdf", content_type="application/pdf", size=9
    )
    attachment.file.save("proof.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    return notice, objection, attachment


def kwargs_for(name: str, world: dict) -> dict:
    app, _sep, view = name.rpartition(":")
    if app == "employers" and view in {"detail", "edit", "deregister"}:
        return {"credit_code": world["employer"].credit_code}
    if (
        app == "employers"
        and view.startswith("import_")
        and view not in {"import_list", "import_roster"}
    ):
        return {"pk": world["roster_batch"].pk}
    if name in {"inspections:case_import_preview", "inspections:case_import_report"}:
        return {"pk": world["cases_batch"].pk}
    if name in {"inspections:case_order_document", "inspections:case_decision_document"}:
        return {"pk": world["measured_case"].pk}
    for prefix, key in (("patrol_", "patrol"), ("review_", "review"), ("case_", "case")):
        if (
            app == "inspections"
            and view.startswith(prefix)
            and view.split("_", 1)[1]
            not in {
                "list",
                "export",
                "create",
                "overdue",
                "import",
            }
        ):
            return {"pk": world[key].pk}
    if name == "inspections:evidence_download":
        return {"pk": world["evidence"].pk}
    if app == "complaints" and view not in {
        "list",
        "summary",
        "export",
        "create",
        "employer_search",
    }:
        return {"pk": world["complaint"].pk}
    if name == "ratings:yearly_notified":
        return {"pk": world["yearly"].pk}
    if name.startswith("ratings:notice_") and name != "ratings:notice_list":
        return {"pk": world["notice"].pk}
    if name == "ratings:objection_create":
        return {"pk": world["notice"].pk}
    if name in {"ratings:objection_detail", "ratings:objection_decide", "ratings:objection_letter"}:
        return {"pk": world["objection"].pk}
    if name == "ratings:objection_attachment":
        return {"pk": world["objection_attachment"].pk}
    if name in {"ratings:repair_detail", "ratings:repair_decide", "ratings:repair_letter"}:
        return {"pk": world["repair"].pk}
    if name in {"ratings:employer_letter", "ratings:repair_create"}:
        return {"pk": world["employer"].pk}
    if name in {"planning:training_detail", "planning:training_edit"}:
        return {"pk": world["session"].pk}
    if name in {"planning:draw_detail", "planning:draw_export"}:
        return {"pk": world["draw"].pk}
    if name == "employers:staff_user_edit":
        return {"pk": world["personas"]["other"].pk}
    if name == "employers:staff_user_action":
        return {"pk": world["personas"]["other"].pk, "action": "unlock"}
    if name == "partners:partner_key_revoke":
        return {"prefix": world["key_object"].prefix}
    if name == "core:calendar_year":
        return {"year": 2027}
    if name == "supervision:cell":
        return {
            "month": "2026-10",
            "unit_code": world["employer"].unit.code,
            "code": "new_employers",
        }
    return {}


def client_for(persona: str, world: dict) -> Client:
    client = Client()
    if persona == "partner":
        client.defaults["HTTP_AUTHORIZATION"] = f"Api-Key {world['key']}"
    elif persona != "anonymous":
        client.force_login(
            world["personas"][persona], backend="django.contrib.auth.backends.ModelBackend"
        )
    return client


def outcome_of(response) -> str:
    status = response.status_code
    if status in (301, 302):
        return LOGIN if response["Location"].startswith("/accounts/login/") else OK
    if status == 200:
        return OK
    if status == 405:
        return POST
    if status == 404:
        return NF
    if status in (401, 403) and response.get("Content-Type", "").startswith("application/json"):
        return KEY
    if status == 403:
        return DENY
    return f"HTTP {status}"


@pytest.mark.django_db
def test_every_url_for_every_persona(world):
    mismatches = []
    checked = 0
    for name in url_names():
        url = reverse(name, kwargs=kwargs_for(name, world))
        for persona in PERSONAS:
            response = client_for(persona, world).get(url)
            got = outcome_of(response)
            expected = MATRIX[name][persona]
            checked += 1
            if got != expected:
                mismatches.append(f"{name} {url} as {persona}: expected {expected}, got {got}")
    assert not mismatches, f"{len(mismatches)} of {checked} checks differ:\n" + "\n".join(
        mismatches
    )


@pytest.mark.django_db
def test_posts_are_refused_out_of_scope(world):
    """A POST (even an empty one) from a persona the design refuses is 403 or 404, never a
    success, for every view that changes something."""
    not_refused = []
    for name in url_names():
        personas = set(POST_REFUSED.get(name, set()))
        personas |= {p for p, outcome in MATRIX[name].items() if outcome in (DENY, NF)}
        personas -= {"partner", "anonymous"}
        url = reverse(name, kwargs=kwargs_for(name, world))
        for persona in sorted(personas):
            response = client_for(persona, world).post(url, {})
            if response.status_code not in (403, 404):
                not_refused.append(f"{name} {url} as {persona}: HTTP {response.status_code}")
    assert not not_refused, "POSTs that were not refused:\n" + "\n".join(not_refused)
