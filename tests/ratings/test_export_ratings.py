"""manage.py export_ratings PATH.(xlsx|csv) [--level L] [--unit CODE] (SPEC section 7)."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ratings.services import employers_rerate_bulk
from tests.clock import today_is
from tests.factories import CaseFactory, EmployerFactory

D = datetime.date
HEADER = ["统一社会信用代码", "单位名称", "所属街镇", "信用等级", "评级依据", "评级时间"]


@pytest.fixture
def rated(unit_lqz, unit_ylq):
    with today_is(D(2026, 11, 15)):
        a = EmployerFactory(unit=unit_lqz, name='=HYPERLINK("http://x")公司')
        c = EmployerFactory(unit=unit_ylq, name="杨柳青C级公司")
        for month in (3, 4, 5):
            CaseFactory(
                employer=c, number=f"E-{month}", decided_on=D(2026, month, 1), penalty_issued=True
            )
        employers_rerate_bulk(cause="full")
    return a, c


@pytest.mark.django_db
def test_csv_has_bom_the_columns_and_no_formula(tmp_path, rated):
    a, c = rated
    path = tmp_path / "ratings.csv"
    out = io.StringIO()
    call_command("export_ratings", str(path), stdout=out)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code[c.credit_code][1:5] == ["杨柳青C级公司", "杨柳青镇", "C", "C1;C4"]
    assert by_code[a.credit_code][1] == '\'=HYPERLINK("http://x")公司'
    assert by_code[a.credit_code][3:5] == ["A", ""]
    datetime.datetime.strptime(by_code[a.credit_code][5], "%Y-%m-%d %H:%M")
    assert out.getvalue().startswith("exported=2 ")


@pytest.mark.django_db
def test_xlsx_filtered_by_level_and_unit(tmp_path, rated):
    _a, c = rated
    path = tmp_path / "c.xlsx"
    call_command("export_ratings", str(path), "--level", "C", stdout=io.StringIO())
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert [r[0] for r in rows[1:]] == [c.credit_code]
    call_command("export_ratings", str(path), "--unit", "120111002", stdout=io.StringIO())
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert [r[2] for r in rows[1:]] == ["李七庄街道"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["out.txt"], "must end in .xlsx or .csv"),
        (["out.csv", "--unit", "999"], "no unit with code 999"),
        (["/no/such/dir/out.csv"], "no such directory"),
    ],
)
def test_bad_arguments_fail_with_one_line(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match=message):
        call_command("export_ratings", *args)


@pytest.mark.django_db
def test_bad_level_is_refused(tmp_path):
    with pytest.raises(CommandError):
        call_command("export_ratings", str(tmp_path / "x.csv"), "--level", "D")
