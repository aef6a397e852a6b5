"""The roster import: the sample files, re-import, duplicates, rollback, signal, command."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from employers import services
from employers.models import Employer, ImportBatch
from employers.signals import employers_imported
from tests.factories import EmployerFactory

LQZ_FILE = "李七庄街_用人单位花名册_2026年10月.xlsx"
YLQ_FILE = "杨柳青镇_用人单位名单.xls"
JW_FILE = "精武镇_用人单位.csv"
HEADER = [
    "单位名称",
    "统一社会信用代码",
    "单位类型",
    "所属街镇",
    "联系电话",
    "职工人数",
    "成立日期",
]


def _roster(tmp_path: Path, rows: list[list], header: list[str] = HEADER) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    path = tmp_path / "roster.xlsx"
    workbook.save(path)
    return path


def _command(*args: str) -> str:
    out = io.StringIO()
    call_command("import_roster", *args, stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
def test_lqz_sample_command_twice(fixture_path):
    path = str(fixture_path / LQZ_FILE)
    assert _command(path) == "created=74 updated=0 unchanged=0 rejected=6"
    assert Employer.objects.count() == 74
    assert _command(path) == "created=0 updated=0 unchanged=74 rejected=6"
    assert Employer.objects.count() == 74
    batches = list(ImportBatch.objects.order_by("id"))
    assert [b.summary for b in batches] == [
        "created=74 updated=0 unchanged=0 rejected=6",
        "created=0 updated=0 unchanged=74 rejected=6",
    ]
    assert batches[0].status == ImportBatch.Status.COMMITTED
    assert batches[0].report


@pytest.mark.django_db
def test_lqz_sample_rejects_exactly_the_listed_rows(fixture_path):
    result = services.roster_import(path=fixture_path / LQZ_FILE, dry_run=True)
    by_row = {p.row: p for p in result.rejections}
    assert sorted(by_row) == [10, 19, 37, 45, 51, 56]
    assert by_row[10].column == "统一社会信用代码"
    assert "校验" in by_row[10].reason
    assert "15" in by_row[19].reason
    assert by_row[37].column == "统一社会信用代码"
    assert by_row[45].column == "单位名称"
    assert by_row[51].column == "所属街镇" and by_row[51].value == "南开区"
    assert by_row[56].column == "单位类型" and "外资代表处" in by_row[56].reason
    assert result.duplicates == 1  # row 84 repeats row 16
    assert Employer.objects.count() == 0  # dry run


@pytest.mark.django_db
def test_lqz_sample_values_are_normalised(fixture_path):
    services.roster_import(path=fixture_path / LQZ_FILE)
    lower = Employer.objects.get(credit_code="91120111MANR1LFT9M")  # typed in lower case
    assert lower.unit.code == "120111002"
    assert lower.established_on == datetime.date(2018, 8, 20)  # 20180820
    full_width = Employer.objects.get(credit_code="92120111MAY4HQNE7U")
    assert full_width.kind == Employer.Kind.INDIVIDUAL
    assert full_width.established_on == datetime.date(2018, 12, 21)  # 2018年12月21日
    spaced = Employer.objects.get(credit_code="91120111MA2TD5N402")
    assert spaced.kind == Employer.Kind.AGENCY
    float_phone = Employer.objects.get(credit_code="92120111MA9J9U9P3Q")
    assert float_phone.contact_phone == "15002275724"
    people = Employer.objects.get(credit_code="91120111MA8U41N695")
    assert people.headcount == 1295  # "1295人"
    assert people.legal_representative == "何兰"
    assert people.industry == "居民服务、修理和其他服务业"
    assert people.address == "天津市西青区李七庄街道杨柳青大道196号"
    slash = Employer.objects.get(credit_code="91120111MA4RAAAR5R")
    assert slash.established_on == datetime.date(2000, 2, 3)  # 2000/2/3


@pytest.mark.django_db
def test_ylq_xls_and_jw_csv(fixture_path):
    assert _command(str(fixture_path / YLQ_FILE)) == "created=50 updated=0 unchanged=0 rejected=0"
    assert _command(str(fixture_path / JW_FILE)) == "created=40 updated=0 unchanged=0 rejected=0"
    assert Employer.objects.filter(unit__code="120111101").count() == 50
    assert Employer.objects.filter(unit__code="120111104").count() == 40
    kinds = set(Employer.objects.values_list("kind", flat=True))
    assert kinds == {"enterprise", "individual", "agency", "training"}


@pytest.mark.django_db
def test_dry_run_and_report_option(fixture_path, tmp_path):
    out = tmp_path / "rejected.xlsx"
    line = _command(str(fixture_path / LQZ_FILE), "--dry-run", "--report", str(out))
    assert line == "created=74 updated=0 unchanged=0 rejected=6"
    assert Employer.objects.count() == 0
    assert ImportBatch.objects.count() == 0
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert len(rows) == 7
    assert rows[0][1] == "单位名称"
    assert [r[-1] for r in rows[1:]] == [10, 19, 37, 45, 51, 56]
    assert "南开区" in rows[5][-2]


@pytest.mark.django_db
def test_command_refuses_unreadable_files(tmp_path):
    bad = tmp_path / "roster.xlsx"
    bad.write_bytes(b"this is not a workbook at all")
    with pytest.raises(CommandError) as caught:
        _command(str(bad))
    assert "\n" not in str(caught.value)
    with pytest.raises(CommandError):
        _command(str(tmp_path / "missing.xlsx"))
    assert Employer.objects.count() == 0


@pytest.mark.django_db
def test_update_changes_only_changed_fields_and_keeps_blank_cells(tmp_path, unit_lqz):
    employer = EmployerFactory(
        credit_code="911201117706402073",
        name="旧名称",
        unit=unit_lqz,
        contact_phone="13800000000",
        headcount=10,
    )
    path = _roster(tmp_path, [["新名称", "911201117706402073", "企业", "李七庄街", "", 12, ""]])
    result = services.roster_import(path=path)
    assert result.summary == "created=0 updated=1 unchanged=0 rejected=0"
    employer.refresh_from_db()
    assert employer.name == "新名称"
    assert employer.headcount == 12
    assert employer.contact_phone == "13800000000"  # the blank cell did not erase it
    assert employer.history.first().history_change_reason == "花名册导入 roster.xlsx"


@pytest.mark.django_db
def test_update_sets_only_changed_columns(tmp_path, unit_lqz):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    EmployerFactory(credit_code="911201117706402073", name="甲", unit=unit_lqz, headcount=5)
    path = _roster(tmp_path, [["甲", "911201117706402073", "企业", "李七庄", "", 6, ""]])
    with CaptureQueriesContext(connection) as queries:
        services.roster_import(path=path)
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "employers_employer"')]
    assert len(updates) == 1
    assert '"headcount"' in updates[0]
    assert '"name"' not in updates[0]


@pytest.mark.django_db
def test_one_select_per_chunk_not_per_row(tmp_path, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from employers.credit_code import make_credit_code

    monkeypatch.setattr(services, "CHUNK_SIZE", 50)
    rows = [
        [f"天津测试{i}有限公司", make_credit_code(f"91120111{i:09d}"), "企业", "李七庄", "", 3, ""]
        for i in range(120)
    ]
    path = _roster(tmp_path, rows)
    with CaptureQueriesContext(connection) as queries:
        result = services.roster_import(path=path, dry_run=True)
    selects = [q for q in queries if 'FROM "employers_employer"' in q["sql"]]
    assert result.created == 120
    assert len(selects) == 3  # 120 rows in chunks of 50


@pytest.mark.django_db
def test_same_code_different_data_rejects_later_row_naming_earlier(tmp_path):
    path = _roster(
        tmp_path,
        [
            ["甲公司", "911201117706402073", "企业", "李七庄", "", 5, ""],
            ["乙公司", "91350100M000100Y43", "企业", "李七庄", "", 5, ""],
            ["甲公司（重复）", "911201117706402073", "企业", "李七庄", "", 5, ""],
            ["乙公司", "91350100m000100y43", "企业", "李七庄街道", "", "5人", ""],
        ],
    )
    result = services.roster_import(path=path)
    assert result.summary == "created=2 updated=0 unchanged=0 rejected=1"
    assert result.duplicates == 1
    (problem,) = result.rejections
    assert problem.row == 4
    assert "2" in problem.reason
    assert Employer.objects.get(credit_code="911201117706402073").name == "甲公司"


@pytest.mark.django_db
def test_failure_midway_writes_nothing(tmp_path, monkeypatch):
    from employers.credit_code import make_credit_code

    monkeypatch.setattr(services, "CHUNK_SIZE", 10)
    rows = [
        [f"天津测试{i}有限公司", make_credit_code(f"91120111{i:09d}"), "企业", "李七庄", "", 3, ""]
        for i in range(30)
    ]
    path = _roster(tmp_path, rows)
    real = services._apply_chunk
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            from django.db import DatabaseError

            raise DatabaseError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_apply_chunk", failing)
    with pytest.raises(services.ImportFailed):
        services.roster_import(path=path)
    assert Employer.objects.count() == 0
    assert Employer.history.count() == 0


@pytest.mark.django_db(transaction=True)
def test_signal_after_commit_with_created_and_updated_ids(tmp_path, unit_lqz):
    old = EmployerFactory(credit_code="911201117706402073", name="旧", unit=unit_lqz)
    same = EmployerFactory(credit_code="92370102MA3M9AG94X", name="不变", unit=unit_lqz)
    path = _roster(
        tmp_path,
        [
            ["新名字", "911201117706402073", "企业", "李七庄", "", "", ""],
            ["不变", "92370102MA3M9AG94X", "", "李七庄", "", "", ""],
            ["新单位", "91350100M000100Y43", "企业", "李七庄", "", "", ""],
        ],
    )
    received = []

    def receiver(sender, employer_ids, **kwargs):
        received.append(sorted(employer_ids))

    employers_imported.connect(receiver)
    try:
        services.roster_import(path=path)
    finally:
        employers_imported.disconnect(receiver)
    new = Employer.objects.get(credit_code="91350100M000100Y43")
    assert received == [sorted([old.pk, new.pk])]
    assert same.pk not in received[0]


@pytest.mark.django_db
def test_no_signal_when_nothing_changed(fixture_path, django_capture_on_commit_callbacks):
    services.roster_import(path=fixture_path / YLQ_FILE)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.roster_import(path=fixture_path / YLQ_FILE)
    assert callbacks == []


@pytest.mark.django_db
def test_updates_get_history_attributed_to_the_importer(tmp_path, admin_user, unit_lqz):
    employer = EmployerFactory(credit_code="911201117706402073", name="旧名", unit=unit_lqz)
    path = _roster(
        tmp_path,
        [
            ["新名", "911201117706402073", "", "李七庄", "", "", ""],
            ["乙公司", "91350100M000100Y43", "", "李七庄", "", "", ""],
        ],
    )
    services.roster_import(path=path, user=admin_user)
    record = employer.history.first()
    assert record.history_type == "~"
    assert record.history_user == admin_user
    assert record.name == "新名"
    assert record.prev_record.name == "旧名"
    # Created employers are recorded by the import batch, not by a history row each.
    assert not Employer.history.filter(credit_code="91350100M000100Y43").exists()


@pytest.mark.django_db
def test_kind_defaults_from_code_and_aliases(tmp_path):
    path = _roster(
        tmp_path,
        [
            ["个体甲", "92370102MA3M9AG94X", "", "精武", "", "", ""],
            ["企业乙", "911201117706402073", "", "开发区", "", "", ""],
            ["培训丙", "91350100M000100Y43", "职业培训机构", "西青开发区", "", "", ""],
        ],
    )
    services.roster_import(path=path)
    kinds = dict(Employer.objects.values_list("name", "kind"))
    assert kinds == {"个体甲": "individual", "企业乙": "enterprise", "培训丙": "training"}
    assert set(Employer.objects.values_list("unit__code", flat=True)) == {
        "120111104",
        "120111450",
    }


@pytest.mark.django_db
def test_credit_code_typed_as_number_is_rejected_with_advice(tmp_path):
    path = _roster(tmp_path, [["甲公司", 9.11201117706402e17, "企业", "李七庄", "", "", ""]])
    result = services.roster_import(path=path)
    assert result.rejected == 1
    assert "文本" in result.rejections[0].reason


@pytest.mark.django_db
def test_row_with_several_problems_lists_them_all(tmp_path):
    path = _roster(
        tmp_path, [["甲公司", "911201117706402073", "外资", "南开区", "", "很多", "昨天"]]
    )
    result = services.roster_import(path=path)
    columns = [p.column for p in result.rejections]
    assert columns == ["单位类型", "所属街镇", "职工人数", "成立日期"]
    assert all(p.row == 2 for p in result.rejections)


@pytest.mark.django_db
def test_status_column_deregisters_and_reactivates(tmp_path, unit_lqz):
    EmployerFactory(credit_code="911201117706402073", name="甲", unit=unit_lqz)
    header = ["单位名称", "统一社会信用代码", "所属街镇", "经营状态"]
    path = _roster(tmp_path, [["甲", "911201117706402073", "李七庄", "注销"]], header)
    assert services.roster_import(path=path).updated == 1
    assert Employer.objects.get().status == Employer.Status.DEREGISTERED


@pytest.mark.django_db
def test_header_missing_is_refused(tmp_path):
    from employers.spreadsheets import SpreadsheetError

    path = _roster(tmp_path, [["甲"]], header=["名单", "备注"])
    with pytest.raises(SpreadsheetError) as caught:
        services.roster_import(path=path)
    assert "统一社会信用代码" in str(caught.value)
