"""Every page for every role: inspectors of the unit, of another unit, supervisors, admins."""

import datetime

import pytest
from django.test import Client

from complaints import services
from complaints.models import Complaint, DeadlineExtension
from inspections.models import Case
from tests.access import CHANGE
from tests.workbooks import xlsx_rows

from .factories import register

pytestmark = pytest.mark.django_db


def url(complaint: Complaint, step: str = "") -> str:
    return f"/complaints/{complaint.pk}/{step + '/' if step else ''}"


# --- list, summary, export, detail, history: who sees what -------------------------------


@pytest.mark.parametrize(
    ("client_name", "sees_lqz", "sees_ylq"),
    [
        ("client_lqz", True, False),
        ("client_ylq", False, True),
        ("client_supervisor", True, True),
        ("client_admin", True, True),
    ],
)
def test_ledger_is_scoped_by_role(
    request,
    client_name,
    sees_lqz,
    sees_ylq,
    inspector_lqz,
    inspector_ylq,
    employer_lqz,
    employer_ylq,
):
    lqz = register(user=inspector_lqz, employer=employer_lqz)
    ylq = register(user=inspector_ylq, employer=employer_ylq)
    client = request.getfixturevalue(client_name)
    body = client.get("/complaints/").content.decode()
    assert (lqz.number in body) is sees_lqz
    assert (ylq.number in body) is sees_ylq
    summary = client.get("/complaints/summary/")
    assert summary.status_code == 200
    assert summary.context["counts"]["total"] == int(sees_lqz) + int(sees_ylq)
    export = client.get("/complaints/export.xlsx")
    exported = {row[0] for row in xlsx_rows(export)[1:]}
    assert exported == {c.number for c, seen in ((lqz, sees_lqz), (ylq, sees_ylq)) if seen}
    detail = client.get(url(lqz))
    assert detail.status_code == (200 if sees_lqz else 404)
    assert client.get(url(lqz, "history")).status_code == (200 if sees_lqz else 404)


def test_unregistered_employer_complaints_scoped_by_recorded_unit(
    client_lqz, client_ylq, inspector_lqz, unit_lqz
):
    complaint = register(user=inspector_lqz, unregistered_name="西青区某装修队", unit=unit_lqz)
    assert complaint.number in client_lqz.get("/complaints/").content.decode()
    assert complaint.number not in client_ylq.get("/complaints/").content.decode()
    assert client_ylq.get(url(complaint)).status_code == 404


def test_user_without_role_sees_nothing(db, complaint_lqz):
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(), backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/complaints/").status_code == 404
    assert client.get(url(complaint_lqz)).status_code == 404


def test_anonymous_is_sent_to_login(complaint_lqz):
    for page in ("/complaints/", url(complaint_lqz), "/complaints/new/", "/complaints/export.xlsx"):
        response = Client().get(page)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_ledger_query_count_does_not_grow(
    client_supervisor, inspector_lqz, employer_lqz, django_assert_max_num_queries
):
    for _ in range(30):
        register(user=inspector_lqz, employer=employer_lqz, items=("wages", "contracts"))
    with django_assert_max_num_queries(14):
        response = client_supervisor.get("/complaints/")
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="complaint-row"') == 30


def test_summary_and_export_query_counts_do_not_grow(
    client_supervisor, inspector_lqz, employer_lqz, django_assert_max_num_queries
):
    for _ in range(20):
        register(user=inspector_lqz, employer=employer_lqz)
    with django_assert_max_num_queries(16):
        assert client_supervisor.get("/complaints/summary/").status_code == 200
    with django_assert_max_num_queries(16):
        response = client_supervisor.get("/complaints/export.xlsx")
        b"".join(response.streaming_content)


# --- intake ----------------------------------------------------------------------------


def intake_data(**overrides) -> dict:
    data = {
        "kind": "complaint",
        "channel": "phone",
        "received_on": "2026-02-10",
        "complainant_name": "李四",
        "complainant_phone": "13900001111",
        "complainant_id_number": "12011119850505123x",
        "complainant_address": "李七庄街某小区",
        "items": ["wages", "social_insurance"],
        "workers_involved": "8",
        "amount_involved": "40000",
        "description": "拖欠工资",
    }
    data.update(overrides)
    return data


def test_inspector_records_a_complaint_by_credit_code(client_lqz, inspector_lqz, employer_lqz):
    response = client_lqz.post(
        "/complaints/new/", intake_data(employer_query=employer_lqz.credit_code)
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == url(complaint)
    assert complaint.employer == employer_lqz and complaint.created_by == inspector_lqz
    assert complaint.complainant_id_number == "12011119850505123X"
    assert set(complaint.items.values_list("item", flat=True)) == {"wages", "social_insurance"}
    assert complaint.acceptance_due_on == datetime.date(2026, 2, 24)
    assert list(complaint.inspectors.all()) == [inspector_lqz]


def test_inspector_records_by_name_and_assigns_a_colleague(
    client_lqz, inspector_lqz, inspector_lqz2, employer_lqz
):
    client_lqz.post(
        "/complaints/new/",
        intake_data(employer_query=employer_lqz.name, inspectors=[inspector_lqz2.pk]),
    )
    complaint = Complaint.objects.get()
    assert set(complaint.inspectors.all()) == {inspector_lqz, inspector_lqz2}


def test_intake_cannot_reach_another_units_employer(client_lqz, employer_ylq):
    response = client_lqz.post(
        "/complaints/new/", intake_data(employer_query=employer_ylq.credit_code)
    )
    assert response.status_code == 200
    assert not Complaint.objects.exists()
    assert "找不到" in response.content.decode() or "No employer" in response.content.decode()


def test_intake_unregistered_employer_is_flagged(client_lqz, unit_lqz):
    client_lqz.post(
        "/complaints/new/",
        intake_data(unregistered="on", unregistered_name="西青区某装修队", unit=unit_lqz.pk),
    )
    complaint = Complaint.objects.get()
    assert complaint.needs_registry and complaint.unit == unit_lqz
    body = client_lqz.get("/complaints/", {"needs_registry": "true"}).content.decode()
    assert complaint.number in body


def test_intake_errors_name_the_field(client_lqz, employer_lqz):
    response = client_lqz.post(
        "/complaints/new/",
        intake_data(employer_query=employer_lqz.credit_code, complainant_name="", items=[]),
    )
    assert response.status_code == 200
    assert not Complaint.objects.exists()
    assert response.context["form"].errors.keys() >= {"complainant_name", "items"}


def test_supervisor_cannot_record_admin_can(
    client_supervisor, client_admin, employer_lqz, inspector_lqz
):
    assert client_supervisor.get("/complaints/new/").status_code == 403
    assert client_admin.get("/complaints/new/").status_code == 200
    client_admin.post(
        "/complaints/new/",
        intake_data(employer_query=employer_lqz.credit_code, inspectors=[inspector_lqz.pk]),
    )
    assert Complaint.objects.get().inspectors.get() == inspector_lqz


def test_employer_search_offers_only_the_users_scope(
    client_lqz, client_supervisor, employer_lqz, employer_ylq
):
    body = client_lqz.get(
        "/complaints/employer-search/", {"employer_query": "测试"}
    ).content.decode()
    assert employer_lqz.credit_code in body and employer_ylq.credit_code not in body
    # Supervisors record nothing, so they are offered nothing.
    body = client_supervisor.get(
        "/complaints/employer-search/", {"employer_query": "测试"}
    ).content.decode()
    assert employer_lqz.credit_code not in body


# --- steps, per role ----------------------------------------------------------------------


@pytest.mark.parametrize(("client_name", "status"), CHANGE)
def test_step_pages_by_role(request, client_name, status, complaint_lqz, inspector_lqz2):
    client = request.getfixturevalue(client_name)
    for step in (
        "accept",
        "reject",
        "supplement",
        "supplemented",
        "close",
        "answer",
        "link-employer",
    ):
        assert client.get(url(complaint_lqz, step)).status_code == status, step


def test_accept_then_close_through_the_pages(
    client_lqz, complaint_lqz, inspector_lqz, inspector_lqz2
):
    response = client_lqz.post(
        url(complaint_lqz, "accept"),
        {"accepted_on": "2026-02-12", "inspectors": [inspector_lqz.pk, inspector_lqz2.pk]},
    )
    assert response.status_code == 302
    complaint_lqz.refresh_from_db()
    assert complaint_lqz.status == Complaint.Status.ACCEPTED
    assert Case.objects.get().opened_on == datetime.date(2026, 2, 12)
    page = client_lqz.get(url(complaint_lqz)).content.decode()
    assert complaint_lqz.case.number in page
    response = client_lqz.post(
        url(complaint_lqz, "close"),
        {
            "outcome": "mediated",
            "note": "双方调解",
            "closed_on": "2026-03-02",
            "answered_on": "2026-03-03",
        },
    )
    assert response.status_code == 302
    complaint_lqz.refresh_from_db()
    assert complaint_lqz.status == Complaint.Status.CLOSED
    assert complaint_lqz.outcome == Complaint.Outcome.MEDIATED


def test_accept_with_one_inspector_shows_the_error_on_the_form(
    client_lqz, complaint_lqz, inspector_lqz
):
    response = client_lqz.post(
        url(complaint_lqz, "accept"),
        {"accepted_on": "2026-02-12", "inspectors": [inspector_lqz.pk]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["inspectors"]
    complaint_lqz.refresh_from_db()
    assert complaint_lqz.status == Complaint.Status.RECEIVED


def test_reject_through_the_page_requires_written_reason(client_lqz, complaint_lqz):
    response = client_lqz.post(
        url(complaint_lqz, "reject"),
        {"decided_on": "2026-02-12", "reason": "outside_powers", "note": ""},
    )
    assert response.status_code == 200
    response = client_lqz.post(
        url(complaint_lqz, "reject"),
        {
            "decided_on": "2026-02-12",
            "reason": "outside_powers",
            "note": "属于劳动争议，请申请仲裁。",
        },
    )
    assert response.status_code == 302
    complaint_lqz.refresh_from_db()
    assert complaint_lqz.status == Complaint.Status.NOT_ACCEPTED


def test_supplement_then_materials_through_the_pages(client_lqz, complaint_lqz):
    client_lqz.post(
        url(complaint_lqz, "supplement"), {"requested_on": "2026-02-11", "note": "工资条"}
    )
    complaint_lqz.refresh_from_db()
    assert complaint_lqz.status == Complaint.Status.SUPPLEMENT
    assert "暂停" in client_lqz.get("/complaints/").content.decode()
    client_lqz.post(url(complaint_lqz, "supplemented"), {"supplemented_on": "2026-02-13"})
    complaint_lqz.refresh_from_db()
    # Fri 13 Feb + 5: Sat 14 (调休), Tue 24, Wed 25, Thu 26, Fri 27.
    assert complaint_lqz.due_on == datetime.date(2026, 2, 27)


@pytest.mark.parametrize(
    ("step", "complaint_name", "client_name", "status"),
    [
        ("extension", "accepted_lqz", "client_lqz", 200),
        ("extension", "accepted_lqz", "client_ylq", 404),
        ("extension", "accepted_lqz", "client_supervisor", 403),
        ("extension", "accepted_lqz", "client_admin", 403),
        ("assign", "complaint_lqz", "client_lqz", 403),
        ("assign", "complaint_lqz", "client_ylq", 404),
        ("assign", "complaint_lqz", "client_supervisor", 200),
        ("assign", "complaint_lqz", "client_admin", 200),
    ],
)
def test_step_page_by_role(request, step, complaint_name, client_name, status):
    complaint = request.getfixturevalue(complaint_name)
    client = request.getfixturevalue(client_name)
    assert client.get(url(complaint, step)).status_code == status


@pytest.mark.parametrize(
    ("client_name", "status"),
    [("client_lqz", 403), ("client_ylq", 404), ("client_supervisor", 200), ("client_admin", 403)],
)
def test_extension_decision_page_by_role(request, client_name, status, accepted_lqz, inspector_lqz):
    services.extension_request(
        complaint=accepted_lqz, workdays=10, reason="取证", user=inspector_lqz
    )
    client = request.getfixturevalue(client_name)
    assert client.get(url(accepted_lqz, "extension/decide")).status_code == status


def test_extension_request_and_approval_through_the_pages(
    client_lqz, client_supervisor, accepted_lqz
):
    client_lqz.post(url(accepted_lqz, "extension"), {"workdays": "30", "reason": "需调取银行流水"})
    extension = DeadlineExtension.objects.get()
    assert extension.status == DeadlineExtension.Status.PENDING
    page = client_supervisor.get(url(accepted_lqz)).content.decode()
    assert "需调取银行流水" in page and 'name="decision"' in page
    client_supervisor.post(
        url(accepted_lqz, "extension/decide"), {"decision": "approve", "note": ""}
    )
    accepted_lqz.refresh_from_db()
    assert accepted_lqz.due_on == datetime.date(2026, 6, 29)


def test_supervisor_reassigns(client_supervisor, complaint_lqz, inspector_lqz2):
    client_supervisor.post(url(complaint_lqz, "assign"), {"inspectors": [inspector_lqz2.pk]})
    assert list(complaint_lqz.inspectors.all()) == [inspector_lqz2]


def test_link_unregistered_employer_through_the_page(
    client_lqz, inspector_lqz, unit_lqz, employer_lqz
):
    complaint = register(user=inspector_lqz, unregistered_name="西青区某装修队", unit=unit_lqz)
    client_lqz.post(url(complaint, "link-employer"), {"employer_query": employer_lqz.credit_code})
    complaint.refresh_from_db()
    assert complaint.employer == employer_lqz and not complaint.needs_registry


def test_detail_shows_the_clock(client_lqz, complaint_lqz):
    page = client_lqz.get(url(complaint_lqz)).content.decode()
    assert "2026-02-24" in page
    assert 'data-testid="complaint-clock"' in page


def test_employer_panel_lists_complaints(client_lqz, client_ylq, complaint_lqz, employer_lqz):
    page = client_lqz.get(f"/employers/{employer_lqz.credit_code}/").content.decode()
    assert 'data-testid="complaints-panel"' in page and complaint_lqz.number in page


# --- corrections ----------------------------------------------------------------------------


@pytest.mark.parametrize(("client_name", "status"), [*CHANGE, ("client_lqz3", 200)])
def test_edit_page_by_role(request, client_name, status, complaint_lqz, inspector_lqz3):
    client = request.getfixturevalue(client_name)
    assert client.get(url(complaint_lqz, "edit")).status_code == status


def test_assigned_inspector_corrects_identity_items_and_date(
    client_lqz, complaint_lqz, inspector_lqz
):
    from complaints.models import IdentityAccess

    form_page = client_lqz.get(url(complaint_lqz, "edit")).content.decode()
    assert "13812341234" in form_page
    assert IdentityAccess.objects.get().via == "edit"
    response = client_lqz.post(
        url(complaint_lqz, "edit"),
        {
            "kind": "complaint",
            "channel": "letter",
            "received_on": "2026-02-13",
            "complainant_name": "张三明",
            "complainant_phone": "13899998888",
            "complainant_id_number": "120111199001011234",
            "complainant_address": "",
            "items": ["contracts", "wages"],
            "workers_involved": "3",
            "description": "更正",
        },
    )
    assert response.status_code == 302
    complaint_lqz.refresh_from_db()
    assert complaint_lqz.complainant_phone == "13899998888"
    assert set(complaint_lqz.items.values_list("item", flat=True)) == {"contracts", "wages"}
    # Fri 13 Feb + 5 working days: Sat 14 (调休), 24, 25, 26, 27 February.
    assert complaint_lqz.acceptance_due_on == datetime.date(2026, 2, 27)
    assert complaint_lqz.history.first().history_user == inspector_lqz


def test_unassigned_inspector_edits_without_seeing_or_touching_identity(client_lqz3, complaint_lqz):
    from complaints.models import IdentityAccess

    form_page = client_lqz3.get(url(complaint_lqz, "edit")).content.decode()
    for secret in ("张三明", "13812341234", "120111199001011234", "拖欠12名工人"):
        assert secret not in form_page
    client_lqz3.post(
        url(complaint_lqz, "edit"),
        {
            "kind": "complaint",
            "channel": "online",
            "received_on": "2026-02-10",
            "items": ["wages"],
            "workers_involved": "20",
            # identity fields posted anyway are ignored
            "complainant_name": "篡改",
        },
    )
    complaint_lqz.refresh_from_db()
    assert complaint_lqz.channel == "online" and complaint_lqz.workers_involved == 20
    assert complaint_lqz.complainant_name == "张三明"
    assert not IdentityAccess.objects.exists()


def test_closed_complaint_cannot_be_edited(client_lqz, accepted_lqz, inspector_lqz):
    services.complaint_close(
        complaint=accepted_lqz,
        outcome="unfounded",
        note="",
        answered_on=None,
        closed_on=datetime.date(2026, 3, 2),
        user=inspector_lqz,
    )
    assert client_lqz.get(url(accepted_lqz, "edit")).status_code == 403
