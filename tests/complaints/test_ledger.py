"""The ledger (台账): filters, deadline views, counts and the .xlsx layout."""

import datetime

import pytest
from django.utils import timezone

from complaints.models import Complaint
from core.workdays import add_workdays_estimated
from tests.workbooks import xlsx_rows

from .factories import register

pytestmark = pytest.mark.django_db


def numbers(client, **params) -> set[str]:
    response = client.get("/complaints/", params)
    assert response.status_code == 200
    return {row.record.number for row in response.context["table"].page.object_list}


@pytest.fixture
def ledger(inspector_lqz, inspector_ylq, employer_lqz, employer_ylq):
    """Three complaints: 李七庄 wages by phone in Feb; 李七庄 contracts by letter in March;
    杨柳青 wages + social insurance online in March."""
    return {
        "feb": register(user=inspector_lqz, employer=employer_lqz, channel="phone"),
        "mar": register(
            user=inspector_lqz,
            employer=employer_lqz,
            channel="letter",
            received_on=datetime.date(2026, 3, 3),
            items=("contracts",),
        ),
        "ylq": register(
            user=inspector_ylq,
            employer=employer_ylq,
            channel="online",
            received_on=datetime.date(2026, 3, 20),
            items=("wages", "social_insurance"),
        ),
    }


def test_filters_unit_channel_item_status_month(client_supervisor, ledger, unit_ylq):
    def n(key: str) -> str:
        return ledger[key].number

    assert numbers(client_supervisor) == {n("feb"), n("mar"), n("ylq")}
    assert numbers(client_supervisor, unit=unit_ylq.pk) == {n("ylq")}
    assert numbers(client_supervisor, channel="letter") == {n("mar")}
    assert numbers(client_supervisor, item="wages") == {n("feb"), n("ylq")}
    assert numbers(client_supervisor, month="2026-03") == {n("mar"), n("ylq")}
    assert numbers(client_supervisor, month="2026-02", item="wages") == {n("feb")}
    assert numbers(client_supervisor, status="received") == {n("feb"), n("mar"), n("ylq")}
    assert numbers(client_supervisor, status="closed") == set()
    assert numbers(client_supervisor, q=ledger["ylq"].employer.name) == {n("ylq")}


def test_inspector_unit_filter_offers_only_own_units(client_lqz, ledger):
    response = client_lqz.get("/complaints/")
    units = list(response.context["filter"].form.fields["unit"].queryset)
    assert [u.code for u in units] == ["120111002"]


def test_deadline_filters_and_sort(client_supervisor, inspector_lqz, employer_lqz):
    today = timezone.localdate()
    overdue = register(user=inspector_lqz, employer=employer_lqz)
    soon = register(user=inspector_lqz, employer=employer_lqz)
    later = register(user=inspector_lqz, employer=employer_lqz)
    closed = register(user=inspector_lqz, employer=employer_lqz)
    in_two, _ = add_workdays_estimated(today, 2)
    in_ten, _ = add_workdays_estimated(today, 10)
    Complaint.objects.filter(pk=overdue.pk).update(due_on=today - datetime.timedelta(days=3))
    Complaint.objects.filter(pk=soon.pk).update(due_on=in_two)
    Complaint.objects.filter(pk=later.pk).update(due_on=in_ten)
    Complaint.objects.filter(pk=closed.pk).update(
        due_on=today - datetime.timedelta(days=9),
        status="not_accepted",
        rejection_reason="too_old",
        rejection_note="x",
        decided_on=today,
    )
    assert numbers(client_supervisor, deadline="overdue") == {overdue.number}
    assert numbers(client_supervisor, deadline="due_soon") == {soon.number}
    assert numbers(client_supervisor, deadline="open") == {
        overdue.number,
        soon.number,
        later.number,
    }
    response = client_supervisor.get("/complaints/", {"deadline": "open", "sort": "due_on"})
    ordered = [row.record.number for row in response.context["table"].page.object_list]
    assert ordered == [overdue.number, soon.number, later.number]
    body = response.content.decode()
    assert "逾期" in body  # the overdue badge


def test_summary_counts_by_unit_item_and_month(client_supervisor, client_lqz, ledger):
    counts = client_supervisor.get("/complaints/summary/").context["counts"]
    assert counts["total"] == 3
    assert {r["unit__name"]: r["total"] for r in counts["by_unit"]} == {
        "李七庄街道": 2,
        "杨柳青镇": 1,
    }
    assert {r["item"]: r["total"] for r in counts["by_item"]} == {
        "wages": 2,
        "contracts": 1,
        "social_insurance": 1,
    }
    assert [(r["month"].strftime("%Y-%m"), r["total"]) for r in counts["by_month"]] == [
        ("2026-02", 1),
        ("2026-03", 2),
    ]
    # The same filters apply, and an inspector counts only what they see.
    assert (
        client_supervisor.get("/complaints/summary/", {"item": "wages"}).context["counts"]["total"]
        == 2
    )
    assert client_lqz.get("/complaints/summary/").context["counts"]["total"] == 2


def test_export_ledger_layout_and_filters(client_supervisor, ledger):
    response = client_supervisor.get("/complaints/export.xlsx", {"month": "2026-03"})
    assert response["Content-Disposition"].startswith("attachment")
    rows = xlsx_rows(response)
    header = rows[0]
    assert header[:5] == ("编号", "类别", "渠道", "收到日期", "投诉人")
    assert "统一社会信用代码" in header and "调查期限" in header and "处理结果" in header
    assert [row[0] for row in rows[1:]] == [ledger["mar"].number, ledger["ylq"].number]
    ylq = rows[2]
    assert len(ylq[header.index("反映事项")].split("、")) == 2
    assert ylq[header.index("所属街镇")] == "杨柳青镇"


def test_export_is_scoped(client_lqz, ledger):
    response = client_lqz.get("/complaints/export.xlsx")
    rows = xlsx_rows(response)
    assert {row[0] for row in rows[1:]} == {ledger["feb"].number, ledger["mar"].number}


def test_export_cells_cannot_start_a_formula(client_supervisor, inspector_lqz, employer_lqz):
    register(user=inspector_lqz, employer=employer_lqz, description='=HYPERLINK("http://x")')
    response = client_supervisor.get("/complaints/export.xlsx")
    rows = xlsx_rows(response)
    header = rows[0]
    assert rows[1][header.index("投诉内容")].startswith("'=")


def test_extension_filter_finds_requests_awaiting_approval(
    client_supervisor, accepted_lqz, inspector_lqz, ledger
):
    from complaints import services

    services.extension_request(
        complaint=accepted_lqz, workdays=10, reason="取证", user=inspector_lqz
    )
    assert numbers(client_supervisor, extension="pending") == {accepted_lqz.number}
    assert numbers(client_supervisor, extension="approved") == set()
