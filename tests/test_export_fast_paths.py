"""The fast export paths neutralise formula cells as the slow ones did: the streamed .xlsx
writer (every SheetExport and export_ratings, whose PostgreSQL rows come unneutralised from a
server-side cursor) and the CSV streamed by PostgreSQL's COPY."""

import csv
import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from core.exports import (
    YES_NO,
    ExportColumn,
    SheetExport,
    copy_csv,
    safe_cell,
    sql_rows,
    sql_safe_text,
    write_xlsx,
)
from ratings.exports import rating_export_rows, rating_export_sql
from ratings.selectors import ratings_for_export
from ratings.services import employers_rerate_bulk
from tests.factories import EmployerFactory

HOSTILE = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tTab", "\rCR", "a\x01b", "plain"]


def test_xlsx_cells_are_text_and_neutralised(tmp_path):
    path = tmp_path / "out.xlsx"
    day = datetime.date(2026, 5, 4)
    count = write_xlsx(
        str(path), header=["text", "day", "n"], rows=[[v, day, 3] for v in HOSTILE], sheet_title="s"
    )
    assert count == len(HOSTILE)
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(min_row=2))
    for value, row in zip(HOSTILE, rows, strict=True):
        assert row[0].data_type == "s"  # never a formula
        assert row[0].value == safe_cell(value)
        assert row[1].value.date() == day
        assert row[2].value == 3
    assert rows[0][0].value.startswith("'=")
    assert rows[6][0].value == "ab"
    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert [row[0] for row in calamine[1:]] == [safe_cell(v) for v in HOSTILE]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
@pytest.mark.django_db
def test_sql_neutralising_matches_safe_cell():
    for value in [*HOSTILE, ""]:
        handle = io.BytesIO()
        copy_csv(
            handle, f"SELECT {sql_safe_text('t.v')}, 'x' FROM (SELECT %s::text AS v) t", [value]
        )
        (row,) = list(csv.reader(io.StringIO(handle.getvalue().decode())))
        assert row == [safe_cell(value), "x"]


HEADER = ["统一社会信用代码", "单位名称", "所属街镇", "信用等级", "评级依据", "评级时间"]
NAMES = ["=cmd|' /C calc'!A0", "-10+20", "@SUM(1)\x01"]


def _csv_rows(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return [tuple(row) for row in csv.reader(io.StringIO(raw.decode("utf-8-sig")))]


def _xlsx_rows(path):
    sheet = load_workbook(path).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value is not None]
    assert cells
    assert all(cell.data_type == "s" for cell in cells)  # text, never a formula
    return [tuple("" if v is None else v for v in row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_ratings_export_is_neutralised_on_every_database(tmp_path, suffix):
    """On PostgreSQL the .csv is neutralised by COPY's SELECT, the .xlsx by the writer (its
    rows come from the SELECT without neutralising); elsewhere both by Python."""
    for name in NAMES:
        EmployerFactory(name=name)
    employers_rerate_bulk(cause="full")
    path = tmp_path / f"ratings.{suffix}"
    out = io.StringIO()
    call_command("export_ratings", str(path), stdout=out)
    rows = _csv_rows(path) if suffix == "csv" else _xlsx_rows(path)
    assert list(rows[0]) == HEADER
    assert sorted(row[1] for row in rows[1:]) == sorted(safe_cell(name) for name in NAMES)
    assert all(not row[1].startswith(("=", "+", "-", "@")) for row in rows[1:])
    assert all(row[3] == "A" and row[4] == "" for row in rows[1:])
    assert f"exported={len(rows) - 1} " in out.getvalue()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SELECT is PostgreSQL's")
@pytest.mark.django_db
def test_ratings_select_gives_the_rows_the_orm_path_gives(unit_lqz, unit_ylq):
    """export_ratings' two sources of rows, the SELECT read by a server-side cursor and the ORM
    values, give the same cells in the same order."""
    EmployerFactory.create_batch(3, unit=unit_lqz)
    EmployerFactory.create_batch(2, unit=unit_ylq, name="+杨柳青")
    employers_rerate_bulk(cause="full")
    for level, unit in [(None, None), ("A", None), (None, "120111002")]:
        sql, params = rating_export_sql(level=level, unit_code=unit, neutralised=False)
        orm = rating_export_rows(ratings_for_export(level=level, unit_code=unit))
        assert [tuple(row) for row in sql_rows(sql, params)] == list(orm)


def test_labels_are_read_once_in_the_language_of_the_export():
    """Choice and yes/no labels are translated when the export starts, not per row; a value
    without a label is written as it is."""

    class Export(SheetExport):
        columns = [
            ExportColumn("done", "done", labels=YES_NO),
            ExportColumn("kind", "kind", labels=[("p", gettext_lazy("Yes"))]),
        ]

    rows = [SimpleNamespace(done=True, kind="p"), SimpleNamespace(done=False, kind="other")]
    with translation.override("zh-hans"):
        assert list(Export().rows(rows)) == [["是", "是"], ["否", "other"]]
    with translation.override("en"):
        assert list(Export().rows(rows)) == [["Yes", "Yes"], ["No", "other"]]

    class Label:
        made = 0

        def __str__(self) -> str:
            Label.made += 1
            return "L"

    Export.columns = [ExportColumn("kind", "kind", labels={"p": Label()})]
    assert list(Export().rows(rows * 50)) == [["L"], ["other"]] * 50
    assert Label.made == 1
