import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from core.dates import local_today
from imports.models import ImportBatch
from inspections.importer import case_ledger_import
from inspections.models import Case
from inspections.models.case_dates import case_date_errors
from inspections.signals import cases_changed_in_bulk
from tests.factories import EmployerFactory
from tests.workbooks import LEDGER_TITLES, xlsx_bytes

LEDGER = Path(__file__).parent.parent / "fixtures" / "案件台账_示例.xlsx"
HEADER = list(LEDGER_TITLES)


@pytest.fixture
def ledger_employers(unit_lqz):
    """The 李七庄 employers the sample ledger names, created from their roster codes."""
    rows = CalamineWorkbook.from_path(str(LEDGER)).get_sheet_by_index(0).to_python()[1:]
    seen = {}
    for row in rows:
        seen.setdefault(row[1], row[2])
    return [
        EmployerFactory(unit=unit_lqz, credit_code=code, name=name) for code, name in seen.items()
    ]


@pytest.fixture
def bulk_signals():
    received = []

    def handler(sender, employer_ids, **kwargs):
        received.append(sorted(employer_ids))

    cases_changed_in_bulk.connect(handler)
    yield received
    cases_changed_in_bulk.disconnect(handler)


def _run(*args) -> str:
    out = io.StringIO()
    call_command("import_cases", *args, stdout=out)
    return out.getvalue().strip()


def _xlsx(rows, header=HEADER) -> bytes:
    return xlsx_bytes([["西青区劳动保障监察案件台账"], header, *rows])


def _row(number: str, code: str, name: str, **cells: object) -> list:
    """A ledger row: a patrol case opened on 2026-03-01 and decided on 2026-03-10 with an order
    to rectify by 2026-03-25 and no other measure; ``cells`` replaces cells by column title."""
    no = ("行政处理决定", "行政处罚", "群体性事件", "情节严重", "追究刑事责任", "撤销立案")
    row = dict.fromkeys(HEADER, "") | dict.fromkeys(no, "否")
    row |= {
        "案件编号": number,
        "统一社会信用代码": code,
        "单位名称": name,
        "案件来源": "日常巡查",
        "立案日期": "2026-03-01",
        "决定日期": "2026-03-10",
        "责令改正": "是",
        "整改期限": "2026-03-25",
    }
    row |= cells
    return list(row.values())


def test_sample_ledger_imports_cleanly_and_is_idempotent(
    ledger_employers, bulk_signals, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _run(str(LEDGER)) == "created=30 updated=0 unchanged=0 rejected=0"
    assert Case.objects.count() == 30
    case = Case.objects.get(number="西青人社监〔2025〕012号")
    assert case.source == Case.Source.SPECIAL
    assert case.penalty_issued and case.penalty_amount == 20000
    assert case.order_rectified_on.isoformat() == "2025-05-12"
    assert Case.objects.get(number="西青人社监〔2026〕013号").withdrawn
    assert Case.objects.sanctioned().count() == 25
    assert case.history.count() == 1  # attributable: bulk history rows
    assert bulk_signals == [sorted({e.pk for e in ledger_employers})]
    batch = ImportBatch.objects.get()
    assert (batch.kind, batch.state, batch.created) == ("cases", "done", 30)
    with django_capture_on_commit_callbacks(execute=True):
        assert _run(str(LEDGER)) == "created=0 updated=0 unchanged=30 rejected=0"
    assert Case.objects.count() == 30
    assert len(bulk_signals) == 1  # nothing changed, nothing sent


def test_dry_run_writes_nothing(ledger_employers):
    assert _run(str(LEDGER), "--dry-run") == "created=30 updated=0 unchanged=0 rejected=0"
    assert not Case.objects.exists()
    assert not ImportBatch.objects.exists()


def test_unknown_employer_is_rejected_with_reason_and_report(db, tmp_path, unit_lqz):
    path = tmp_path / "台账.xlsx"
    row = _row("西青人社监〔2026〕101号", "911201117706402073", "天津某公司", 案件来源="专项检查")
    path.write_bytes(_xlsx([row]))
    report = tmp_path / "errors.xlsx"
    assert _run(str(path), "--report", str(report)) == "created=0 updated=0 unchanged=0 rejected=1"
    rows = list(load_workbook(report).active.values)
    assert "911201117706402073" in rows[1][-2] and "统一社会信用代码" in rows[1][-2]
    assert rows[1][-1] == 3  # the row number in the original file


def test_inconsistent_rows_name_the_column(db, tmp_path, unit_lqz):
    employer = EmployerFactory(unit=unit_lqz)

    def row(number: str, **cells: object) -> list:
        return _row(number, employer.credit_code, employer.name, 决定日期="2026/3/10", **cells)

    good = row("西青人社监〔2026〕201号")
    no_order = row("西青人社监〔2026〕202号", 责令改正="否", 整改期限="", 整改完成日期="2026-03-20")
    negative = row("西青人社监〔2026〕203号", 行政处罚="是", 罚款金额=-100)
    bad_date = row("西青人社监〔2026〕204号", 立案日期="去年三月")
    bad_source = row("西青人社监〔2026〕205号", 案件来源="群众来信")
    result = case_ledger_import(
        io.BytesIO(_xlsx([good, no_order, negative, bad_date, bad_source])),
        name="x.xlsx",
        user=None,
    )
    assert result.summary == "created=1 updated=0 unchanged=0 rejected=4"
    reasons = {r.row: (r.column, r.reason) for r in result.rejections}
    assert reasons[4][0] == "整改完成日期" and "责令改正" in reasons[4][1]
    assert reasons[5][0] == "罚款金额"
    assert reasons[6][0] == "立案日期"
    assert reasons[7][0] == "案件来源"
    assert Case.objects.get().number == "西青人社监〔2026〕201号"


def test_changed_row_updates_the_case(db, unit_lqz):
    employer = EmployerFactory(unit=unit_lqz)
    number, source = "西青人社监〔2026〕301号", "投诉举报"
    row = _row(number, employer.credit_code, employer.name, 案件来源=source)
    case_ledger_import(io.BytesIO(_xlsx([row])), name="a.xlsx", user=None)
    row = _row(
        number, employer.credit_code, employer.name, 案件来源=source, 整改完成日期="2026-03-20"
    )
    result = case_ledger_import(io.BytesIO(_xlsx([row])), name="a.xlsx", user=None)
    assert result.summary == "created=0 updated=1 unchanged=0 rejected=0"
    assert Case.objects.get().order_rectified_on.isoformat() == "2026-03-20"


def test_missing_file_and_bad_file_fail_with_a_reason(db, tmp_path):
    with pytest.raises(CommandError):
        _run(str(tmp_path / "nope.xlsx"))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook at all")
    with pytest.raises(CommandError):
        _run(str(bad))


def test_header_aliases(db, unit_lqz):
    employer = EmployerFactory(unit=unit_lqz)
    header = [
        "序号",
        "案号",
        "社会信用代码",
        "用人单位",
        "来源",
        "立案时间",
        "决定时间",
        "是否责令改正",
        "改正期限",
    ]
    rows = [
        [
            1,
            "西青人社监〔2026〕401号",
            employer.credit_code,
            employer.name,
            "巡查",
            "2026年3月1日",
            "20260310",
            "√",
            "2026.3.25",
        ]
    ]
    result = case_ledger_import(io.BytesIO(_xlsx(rows, header=header)), name="a.xlsx", user=None)
    assert result.summary == "created=1 updated=0 unchanged=0 rejected=0", result.rejections
    case = Case.objects.get()
    assert case.order_issued and case.order_deadline.isoformat() == "2026-03-25"


def test_browser_upload_preview_commit(client_admin, ledger_employers):
    upload = SimpleUploadedFile("案件台账.xlsx", LEDGER.read_bytes())
    response = client_admin.post(reverse("inspections:case_import"), {"file": upload})
    batch = ImportBatch.objects.get()
    preview_url = reverse("inspections:case_import_preview", kwargs={"pk": batch.pk})
    assert response["Location"] == preview_url
    preview = client_admin.get(preview_url)
    assert preview.context["batch"].created == 30
    assert not Case.objects.exists()
    client_admin.post(preview_url)
    assert Case.objects.count() == 30
    batch.refresh_from_db()
    assert batch.state == "done" and batch.user is not None
    done = client_admin.get(preview_url)
    assert "created=30" in done.content.decode()


def test_browser_upload_refuses_non_spreadsheets(client_admin):
    upload = SimpleUploadedFile("台账.xlsx", b"%PDF-1.4 nope")
    response = client_admin.post(reverse("inspections:case_import"), {"file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("client_name", ["client_lqz", "client_supervisor"])
def test_only_admins_import(request, client_name):
    client = request.getfixturevalue(client_name)
    assert client.get(reverse("inspections:case_import")).status_code == 403


@pytest.mark.parametrize(
    ("cell", "amount"),
    [
        (5000, "5000.00"),
        (5000.0, "5000.00"),
        ("5,000", "5000.00"),
        ("5000元", "5000.00"),
        ("0.5万元", "5000.00"),
        ("￥1200.5", "1200.50"),
        ("", None),
    ],
)
def test_amount_spellings(cell, amount):
    from inspections.case_ledger import _amount

    result = _amount(cell)
    assert (str(result) if result is not None else None) == amount


def test_amount_refuses_text():
    from core.spreadsheets import CellError
    from inspections.case_ledger import _amount

    with pytest.raises(CellError):
        _amount("五千元")


def test_impossible_dates_are_refused_by_the_case_rules_with_row_and_column(db, unit_lqz):
    """The importer asks the same date rules as the case form (inspections.models.case_dates):
    a decision in the future, a decision before the opening, a rectification before the
    decision; each row rejected naming its column."""
    employer = EmployerFactory(unit=unit_lqz)

    def row(number: str, **cells: object) -> list:
        return _row(number, employer.credit_code, employer.name, 整改期限="", **cells)

    in_three_days = (local_today() + datetime.timedelta(days=3)).isoformat()
    future = row("西青人社监〔2026〕301号", 决定日期=in_three_days)
    before_opening = row("西青人社监〔2026〕302号", 决定日期="2026-02-20")
    rectified_early = row("西青人社监〔2026〕303号", 整改完成日期="2026-03-05")
    good = row("西青人社监〔2026〕304号")
    result = case_ledger_import(
        io.BytesIO(_xlsx([future, before_opening, rectified_early, good])), name="x.xlsx"
    )
    assert result.summary == "created=1 updated=0 unchanged=0 rejected=3"
    reasons = {r.row: (r.column, r.reason) for r in result.rejections}
    assert reasons[3][0] == "决定日期"
    assert reasons[4][0] == "决定日期"
    assert reasons[5][0] == "整改完成日期"
    # The very messages of the one definition, not a copy.
    expected = case_date_errors(
        {
            "opened_on": datetime.date(2026, 3, 1),
            "decided_on": datetime.date(2026, 2, 20),
        }
    )["decided_on"]
    assert reasons[4][1] == str(expected)
    assert list(Case.objects.values_list("number", flat=True)) == ["西青人社监〔2026〕304号"]
