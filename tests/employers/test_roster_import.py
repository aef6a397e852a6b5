"""The roster import: the sample files, re-import, duplicates, rollback, signal, command."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from core import bulk
from core.spreadsheets import CellError
from employers import importer as services
from employers import roster
from employers.credit_code import (
    CHARSET,
    credit_code_error,
    make_credit_code,
    normalise_credit_code,
)
from employers.models import Employer
from employers.signals import employers_imported
from imports.base import ImportFailed
from imports.models import ImportBatch
from imports.pipeline import memoised
from tests.factories import EmployerFactory
from tests.workbooks import ROSTER_TITLES, xlsx_file

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


def _roster(
    tmp_path: Path, rows: list[list], header: list[str] = HEADER, name: str = "roster.xlsx"
) -> Path:
    return xlsx_file(tmp_path / name, [header, *rows])


def _companies(count: int) -> list[list]:
    """Rows of distinct valid enterprises of 李七庄 with 3 workers each."""
    return [
        [f"天津测试{i}有限公司", make_credit_code(f"91120111{i:09d}"), "企业", "李七庄", "", 3, ""]
        for i in range(count)
    ]


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
    assert batches[0].state == ImportBatch.State.DONE
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
    monkeypatch.setattr(services.RosterImporter, "chunk_size", 50)
    path = _roster(tmp_path, _companies(120))
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
    monkeypatch.setattr(services.RosterImporter, "chunk_size", 10)
    path = _roster(tmp_path, _companies(30))
    real = services.RosterImporter.plan
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            from django.db import DatabaseError

            raise DatabaseError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(services.RosterImporter, "plan", failing)
    with pytest.raises(ImportFailed):
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
    from core.spreadsheets import SpreadsheetError

    path = _roster(tmp_path, [["甲"]], header=["名单", "备注"])
    with pytest.raises(SpreadsheetError) as caught:
        services.roster_import(path=path)
    assert "统一社会信用代码" in str(caught.value)


FULL_HEADER = [*ROSTER_TITLES, "经营状态", "核实日期"]
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the COPY path exists on PostgreSQL only"
)


@pytest.mark.django_db
def test_created_employers_hold_every_value_and_default(tmp_path, unit_lqz, unit_ylq):
    # Quotes, commas and a backslash must survive the bulk write (COPY on PostgreSQL).
    tricky = '天津"引号",逗号\\反斜杠有限公司'
    path = _roster(
        tmp_path,
        [
            [
                tricky,
                "911201117706402073",
                "",
                "李七庄",
                "张三",
                "",
                13812345678.0,
                "1,200",
                "制造业",
                "天津市西青区某路1号, 2楼",
                datetime.date(2015, 3, 5),
                "",
                "2026-10-01",
            ],
            ["个体甲", "92370102MA3M9AG94X", "", "杨柳青", *[""] * 7, "注销", ""],
        ],
        header=FULL_HEADER,
    )
    result = services.roster_import(path=path)
    assert result.summary == "created=2 updated=0 unchanged=0 rejected=0"
    first = Employer.objects.get(credit_code="911201117706402073")
    second = Employer.objects.get(credit_code="92370102MA3M9AG94X")
    assert sorted(result.object_ids) == sorted([first.pk, second.pk])
    assert (first.name, first.kind, first.unit, first.status) == (
        tricky,
        Employer.Kind.ENTERPRISE,
        unit_lqz,
        Employer.Status.ACTIVE,
    )
    assert (first.legal_representative, first.contact_person, first.contact_phone) == (
        "张三",
        "",
        "13812345678",
    )
    assert (first.headcount, first.industry, first.address) == (
        1200,
        "制造业",
        "天津市西青区某路1号, 2楼",
    )
    assert first.established_on == datetime.date(2015, 3, 5)
    assert first.verified_on == datetime.date(2026, 10, 1)
    assert first.created_at is not None and first.updated_at is not None
    assert (second.kind, second.unit, second.status) == (
        Employer.Kind.INDIVIDUAL,
        unit_ylq,
        Employer.Status.DEREGISTERED,
    )
    assert (second.headcount, second.established_on, second.address) == (None, None, "")
    # The created employers were written without a history row each.
    assert not Employer.history.exists()
    # and they can be imported again without a change
    assert services.roster_import(path=path).unchanged == 2


@pytest.mark.django_db
def test_changes_in_several_field_sets_with_history(tmp_path, unit_lqz, admin_user):
    a = EmployerFactory(
        credit_code="911201117706402073", name="甲", unit=unit_lqz, headcount=5, contact_phone="1"
    )
    b = EmployerFactory(credit_code="91350100M000100Y43", name="乙", unit=unit_lqz, address="旧址")
    c = EmployerFactory(credit_code="92370102MA3M9AG94X", name="丙", unit=unit_lqz)
    stamps = dict(Employer.objects.values_list("pk", "updated_at"))
    history_before = Employer.history.count()
    header = ["单位名称", "统一社会信用代码", "所属街镇", "职工人数", "注册地址"]
    path = _roster(
        tmp_path,
        [
            ["甲", "911201117706402073", "李七庄", 6, ""],
            ["乙二", "91350100M000100Y43", "李七庄", "", "新址"],
            ["丙", "92370102MA3M9AG94X", "李七庄", "", ""],
        ],
        header=header,
    )
    with CaptureQueriesContext(connection) as queries:
        result = services.roster_import(path=path, user=admin_user)
    assert result.summary == "created=0 updated=2 unchanged=1 rejected=0"
    assert sorted(result.object_ids) == sorted([a.pk, b.pk])
    a.refresh_from_db()
    b.refresh_from_db()
    c.refresh_from_db()
    assert (a.name, a.headcount, a.contact_phone) == ("甲", 6, "1")
    assert (b.name, b.address) == ("乙二", "新址")
    assert a.updated_at > stamps[a.pk] and b.updated_at > stamps[b.pk]
    assert c.updated_at == stamps[c.pk]
    # Each UPDATE sets only the fields that changed for its employers.
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "employers_employer"')]
    assert len(updates) == 2
    headcount_only = next(sql for sql in updates if '"headcount"' in sql)
    assert '"name"' not in headcount_only and '"address"' not in headcount_only
    name_address = next(sql for sql in updates if '"name"' in sql)
    assert '"address"' in name_address and '"headcount"' not in name_address
    # One history row per changed employer: who, when, why, before and after.
    assert Employer.history.count() == history_before + 2
    for employer in (a, b):
        record = employer.history.first()
        assert record.history_type == "~"
        assert record.history_user == admin_user
        assert record.history_change_reason == "花名册导入 roster.xlsx"
        assert record.updated_at == employer.updated_at
    assert a.history.first().headcount == 6
    assert a.history.first().prev_record.headcount == 5
    assert b.history.first().name == "乙二"
    assert b.history.first().prev_record.address == "旧址"
    assert not c.history.filter(history_type="~").exists()


@pytest.mark.django_db
def test_long_file_name_does_not_fail_the_history(tmp_path, unit_lqz):
    EmployerFactory(credit_code="911201117706402073", name="甲", unit=unit_lqz, headcount=5)
    name = "a" * 150 + ".xlsx"
    path = _roster(tmp_path, [["甲", "911201117706402073", "企业", "李七庄", "", 6, ""]], name=name)
    assert services.roster_import(path=path).updated == 1
    reason = Employer.history.first().history_change_reason
    assert reason.startswith("花名册导入 aaa")
    assert len(reason) == 100


@pytest.mark.django_db
def test_same_bad_value_on_many_rows_gets_the_same_reason(tmp_path):
    path = _roster(
        tmp_path,
        [
            ["甲", "911201117706402073", "外资", "李七庄", "", 5, ""],
            ["乙", "91350100M000100Y43", "外资", "李七庄", "", 5, ""],
            ["丙", "92370102MA3M9AG94X", "企业", "李七庄", "", True, ""],
            ["丁", make_credit_code("91120111MA05K2RL2"), "企业", "李七庄", "", 1, ""],
        ],
    )
    result = services.roster_import(path=path, dry_run=True)
    assert result.summary == "created=1 updated=0 unchanged=0 rejected=3"
    kinds = [p for p in result.rejections if p.column == "单位类型"]
    assert [p.row for p in kinds] == [2, 3]
    assert kinds[0].reason == kinds[1].reason and "外资" in kinds[0].reason
    (headcount,) = [p for p in result.rejections if p.column == "职工人数"]
    assert headcount.row == 4  # TRUE is not 1, although True == 1 in Python


def test_memoised_cleaner_keeps_types_apart_and_repeats_reasons():
    from core.spreadsheets import parse_int

    calls = []

    def cleaner(raw):
        calls.append(raw)
        return parse_int(raw)

    clean = memoised(cleaner, limit=3)
    assert clean(1) == 1
    assert clean(1.0) == 1
    with pytest.raises(CellError) as first:
        clean(True)
    with pytest.raises(CellError) as again:
        clean(True)
    assert str(first.value) == str(again.value)
    assert clean(1) == 1
    assert calls == [1, 1.0, True]
    # Past the limit nothing more is remembered, and the answers stay right.
    assert clean("12人") == 12
    assert clean("12人") == 12
    assert calls == [1, 1.0, True, "12人", "12人"]


@pytest.mark.parametrize(
    "raw",
    [
        "911201117706402073",
        "91350100M000100Y43",
        "92370102MA3M9AG94X",
        "911201117706402072",  # wrong check character
        "911201117706402O73",  # a letter O
        "91350100m000100y43",
        " 913501 00M000100Y43 ",
        "９１３５０１００Ｍ０００１００Ｙ４３",
        "120111600123456",
        "91120111770640207",
        "",
        9.11201117706402e17,
    ],
)
def test_clean_credit_code_matches_the_full_rules(raw):
    _check_credit_code_cleaner(raw)


@given(st.text(alphabet=CHARSET + "IOSVZ a", min_size=17, max_size=19))
def test_clean_credit_code_matches_the_full_rules_for_any_text(raw):
    _check_credit_code_cleaner(raw)


def _check_credit_code_cleaner(raw: object) -> None:
    """The import's credit-code cleaner (with its shortcut for codes already written as
    stored) gives what the full normalise-and-validate rules give."""
    if isinstance(raw, float):
        expected_error: str | None = "number"
    else:
        code = normalise_credit_code(raw)
        expected_error = credit_code_error(code)
    try:
        cleaned = roster.clean_credit_code(raw)
    except CellError as exc:
        assert expected_error is not None
        if expected_error != "number":
            assert str(exc) == expected_error
    else:
        assert expected_error is None
        assert cleaned == normalise_credit_code(raw)


@on_postgresql
@pytest.mark.django_db
def test_postgresql_writes_through_copy(tmp_path, unit_lqz):
    EmployerFactory(credit_code="911201117706402073", name="旧", unit=unit_lqz)
    path = _roster(
        tmp_path,
        [
            ["新", "911201117706402073", "企业", "李七庄", "", "", ""],
            ["乙公司", "91350100M000100Y43", "企业", "李七庄", "", "", ""],
        ],
    )
    with CaptureQueriesContext(connection) as queries:
        result = services.roster_import(path=path)
    assert result.summary == "created=1 updated=1 unchanged=0 rejected=0"
    statements = [q["sql"] for q in queries]
    assert not any(sql.startswith('INSERT INTO "employers_employer"') for sql in statements)
    history = [sql for sql in statements if sql.startswith('INSERT INTO "employers_historical')]
    assert len(history) == 1 and "SELECT" in history[0]
    assert Employer.objects.get(credit_code="91350100M000100Y43").name == "乙公司"
    assert Employer.objects.get(credit_code="911201117706402073").name == "新"


@on_postgresql
@pytest.mark.django_db
def test_postgresql_copy_failure_midway_writes_nothing(tmp_path, monkeypatch, unit_lqz):
    EmployerFactory(credit_code="911201117706402073", name="旧", unit=unit_lqz)
    monkeypatch.setattr(services.RosterImporter, "chunk_size", 10)
    rows = [["新", "911201117706402073", "企业", "李七庄", "", "", ""], *_companies(30)]
    path = _roster(tmp_path, rows)
    real = bulk.csv_buffer
    calls = {"n": 0}

    def broken_on_the_third_copy(rows):
        calls["n"] += 1
        if calls["n"] == 3:
            return io.StringIO("this,is,not,an,employer\n")
        return real(rows)

    monkeypatch.setattr(bulk, "csv_buffer", broken_on_the_third_copy)
    with pytest.raises(ImportFailed):
        services.roster_import(path=path)
    assert calls["n"] == 3
    assert Employer.objects.count() == 1
    assert Employer.objects.get().name == "旧"
    assert not Employer.history.filter(history_type="~").exists()
    # The connection is usable again: the same file imports.
    monkeypatch.setattr(bulk, "csv_buffer", real)
    assert services.roster_import(path=path).summary == (
        "created=30 updated=1 unchanged=0 rejected=0"
    )
