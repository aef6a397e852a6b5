"""Bounded reading: each hostile file is refused (or its stray cell ignored) within seconds and
with little memory. The bombs are generated here (they are tiny on disk); the reads that
would have exhausted memory run in a child process whose peak RSS is asserted."""

import csv
import datetime
import zipfile
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import Workbook

from bench import bombs
from core import spreadsheets as sheets
from core.spreadsheets import limits
from tests.workbooks import xlsx_file

ALIASES = bombs.ALIASES
REQUIRED = set(ALIASES)
PEAK_LIMIT_MB = 300


def _open(path: Path, **kwargs) -> tuple[sheets.Table, list[sheets.Row]]:
    with sheets.open_table(path, aliases=ALIASES, required=REQUIRED, **kwargs) as table:
        return table, list(table)


def _refusal(path: Path) -> str:
    with translation.override("zh-hans"), pytest.raises(sheets.SpreadsheetError) as caught:
        _open(path)
    return str(caught.value)


def _child(path: Path) -> dict:
    result = bombs.read_in_child(path, timeout=240)
    assert "crashed" not in result, result
    assert result["peak_mb"] < PEAK_LIMIT_MB, result
    return result


# ---- a stray cell far away ----------------------------------------------------------------


@pytest.mark.parametrize("ref", ["XFD1048576", "AD1048576", "XFD3"])
def test_stray_cell_far_away_is_ignored_not_allocated(tmp_path, ref):
    path = bombs.far_cell(tmp_path / "stray.xlsx", ref)
    assert path.stat().st_size < 5_000
    result = _child(path)
    assert result["rows"] == 1  # the one data row; the stray cell is no row of data
    assert result["seconds"] < 60


def test_stray_cell_file_reads_its_rows_in_process(tmp_path):
    table, rows = _open(bombs.far_cell(tmp_path / "stray.xlsx"))
    assert table.header.row_number == 1
    assert [(r.number, r["name"], r["unit"]) for r in rows] == [(2, "天津某公司", "李七庄街")]


def test_sheet_scan_finds_the_real_used_range_and_the_claimed_one(tmp_path):
    path = bombs.far_cell(tmp_path / "stray.xlsx", "AD1048576")
    with path.open("rb") as handle:
        (extent,) = limits.check_workbook_zip(handle)
    assert (extent.rows, extent.cells) == (3, 7)
    assert (extent.last_row, extent.last_column) == (1_048_576, 30)
    assert extent.declared == "A1:AD1048576"
    assert extent.sparse


# ---- expanding and compressible members ------------------------------------------------------


def test_sheet_expanding_to_2_gib_is_refused_by_the_uncompressed_limit(tmp_path):
    path = bombs.expanding(tmp_path / "expanding.xlsx")
    assert path.stat().st_size < 3 * 1024 * 1024
    message = _refusal(path)
    assert "2048 MB" in message and "300 MB" in message and "解压" in message
    result = _child(path)
    assert "300 MB" in result["refused"]


def test_highly_compressed_member_is_refused_by_the_ratio_limit(tmp_path):
    path = bombs.expanding(tmp_path / "ratio.xlsx", size=40 * 1024 * 1024)
    message = _refusal(path)
    assert "压缩比" in message and "200" in message


def test_total_uncompressed_size_is_limited(tmp_path, settings):
    settings.SPREADSHEET_MAX_UNCOMPRESSED_BYTES = 1_000
    path = bombs.far_cell(tmp_path / "stray.xlsx")
    message = _refusal(path)
    assert "解压后大小上限 0 MB" in message


# ---- rows, cells, columns -------------------------------------------------------------------


def test_million_rows_of_sixteen_numbers_refused_by_the_cell_limit(tmp_path):
    path = bombs.many_rows(tmp_path / "rows.xlsx")
    assert path.stat().st_size < 10 * 1024 * 1024
    result = _child(path)
    assert "10,000,000" in result["refused"] and "单元格" in result["refused"]
    assert result["seconds"] < 60


def test_rows_over_the_limit_are_refused(tmp_path, settings):
    settings.SPREADSHEET_MAX_ROWS = 100
    path = bombs.many_rows(tmp_path / "rows.xlsx", rows=150, columns=2)
    message = _refusal(path)
    assert "100" in message and "行" in message


def test_columns_past_the_limit_are_ignored_not_refused(tmp_path, settings):
    settings.SPREADSHEET_MAX_COLUMNS = 5
    path = xlsx_file(
        tmp_path / "wide.xlsx",
        [
            ["单位名称", "统一社会信用代码", "所属街镇", *[f"列{i}" for i in range(60)]],
            ["天津某公司", "91120111MA05K8XQ3D", "李七庄街", *range(60)],
        ],
    )
    table, rows = _open(path)
    assert len(table.header.titles) == 5
    assert len(rows[0].cells) == 5 and rows[0]["unit"] == "李七庄街"


def test_csv_lines_over_the_limit_are_refused(tmp_path, settings):
    settings.SPREADSHEET_MAX_ROWS = 10
    path = tmp_path / "rows.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["单位名称", "统一社会信用代码", "所属街镇"])
        writer.writerows([[f"公司{i}", "91120111MA05K8XQ3D", "李七庄街"] for i in range(20)])
    assert "10" in _refusal(path)


def test_xls_over_the_cell_limit_is_refused(fixture_path, settings):
    settings.SPREADSHEET_MAX_CELLS = 50
    message = _refusal(fixture_path / "杨柳青镇_用人单位名单.xls")
    assert "50" in message and "单元格" in message


def test_xls_sample_passes_the_checks(fixture_path):
    with (fixture_path / "杨柳青镇_用人单位名单.xls").open("rb") as handle:
        sheets_limits = limits.Limits.from_settings()
        from core.spreadsheets.oledoc import check_xls

        check_xls(handle, sheets_limits)  # no error


def test_damaged_zip_member_is_a_spreadsheet_error(tmp_path):
    path = bombs.far_cell(tmp_path / "ok.xlsx")
    data = bytearray(path.read_bytes())
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(bytes(data[: len(data) // 2]))
    with pytest.raises(sheets.SpreadsheetError):
        _open(cut)


# ---- the streamed reader reads what calamine reads ------------------------------------------


def test_streamed_sheet_gives_the_values_calamine_gives(tmp_path, monkeypatch):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["填报单位：李七庄街"])
    sheet.append(["序号", "单位名称", "统一社会信用代码", "所属街镇", "成立日期", "人数", "在业"])
    sheet.append(
        [1, "天津某公司", "91120111MA05K8XQ3D", "李七庄街", datetime.date(2015, 3, 5), 12, True]
    )
    sheet.append(
        [
            2,
            "天津乙公司",
            "91120111MA05K8XQ4E",
            "杨柳青镇",
            datetime.datetime(2016, 1, 2, 3, 4),
            2.5,
            False,
        ]
    )
    sheet.append([None, None, None, None, None, None, None])
    sheet.append([4, "丙", "x", "精武镇", "2015-3-5", "12人", None])
    sheet["H9"] = "孤立"
    path = tmp_path / "values.xlsx"
    workbook.save(path)

    def rows_read() -> list[tuple]:
        table, rows = _open(path)
        return [(r.number, list(r.cells[:7])) for r in rows], table.header.row_number

    normal = rows_read()
    monkeypatch.setattr(limits, "CALAMINE_MAX_RANGE", 0)  # every sheet is now "sparse"
    streamed = rows_read()

    def trimmed(result):
        rows, header_row = result
        return [(n, [c for c in cells] + [""] * (7 - len(cells))) for n, cells in rows], header_row

    assert trimmed(streamed) == trimmed(normal)
    assert normal[0][0][1][4] == datetime.date(2015, 3, 5)


def test_zip_without_worksheets_is_refused_as_before(tmp_path):
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(sheets.SpreadsheetError):
        _open(path)


def test_upload_check_refuses_the_expanding_workbook_at_once(tmp_path):
    path = bombs.expanding(tmp_path / "expanding.xlsx")
    with (
        path.open("rb") as handle,
        translation.override("zh-hans"),
        pytest.raises(sheets.SpreadsheetError) as caught,
    ):
        sheets.check_upload(handle, name=path.name)
    assert "2048 MB" in str(caught.value)
