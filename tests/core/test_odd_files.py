"""Odd but honest files: two-row merged headers, a title and header repeated halfway, codes
Excel turned into scientific notation, .xlsm workbooks, a roster without its unit column."""

import csv
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import Workbook

from core import spreadsheets as sheets
from core.spreadsheets import limits

ALIASES = {
    "credit_code": ["统一社会信用代码", "社会信用代码"],
    "name": ["单位名称", "企业名称"],
    "unit": ["所属街镇", "街镇"],
    "headcount": ["职工人数", "从业人数"],
    "contact_person": ["联系人", "联系人姓名"],
    "contact_phone": ["联系电话", "电话", "联系人电话"],
}
REQUIRED = {"credit_code", "name", "unit"}
LABELS = {"unit": "区域单位", "name": "名称", "credit_code": "统一社会信用代码"}
CODE = "91120111MA05K8XQ3D"


def _read(path: Path, **kwargs) -> tuple[sheets.Table, list[sheets.Row]]:
    with sheets.open_table(
        path, aliases=ALIASES, required=REQUIRED, labels=LABELS, **kwargs
    ) as table:
        return table, list(table)


def _merged_header_workbook(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["西青区用人单位花名册"])
    sheet.merge_cells("A1:G1")
    sheet.append(["序号", "单位名称", "统一社会信用代码", "所属街镇", "职工人数", "联系人", None])
    sheet.append([None, None, None, None, None, "姓名", "电话"])
    for column in "ABCDE":
        sheet.merge_cells(f"{column}2:{column}3")
    sheet.merge_cells("F2:G2")
    sheet.append([1, "天津某公司", CODE, "李七庄街", 120, "张伟", "13812345678"])
    sheet.append([2, "天津乙公司", "91120111MA05K8XQ4E", "杨柳青镇", "35人", "李娜", "022-2739"])
    workbook.save(path)
    return path


def _check_merged(table: sheets.Table, rows: list[sheets.Row]) -> None:
    assert table.header.row_number == 3
    assert [r.number for r in rows] == [4, 5]
    assert rows[0]["headcount"] == 120
    assert rows[0]["contact_person"] == "张伟"
    assert rows[0]["contact_phone"] == "13812345678"
    assert rows[1]["contact_person"] == "李娜"
    assert table.header.title_of("contact_person") == "联系人姓名"
    assert table.header.title_of("contact_phone") == "联系人电话"
    assert table.header.title_of("headcount") == "职工人数"


def test_two_row_merged_header_reads_headcount_and_contact(tmp_path):
    _check_merged(*_read(_merged_header_workbook(tmp_path / "merged.xlsx")))


def test_two_row_merged_header_when_the_sheet_is_streamed(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "CALAMINE_MAX_RANGE", 0)
    _check_merged(*_read(_merged_header_workbook(tmp_path / "merged.xlsx")))


def test_two_row_header_in_csv_carries_the_group_title(tmp_path):
    path = tmp_path / "merged.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["序号", "单位名称", "统一社会信用代码", "所属街镇", "职工人数", "联系人", ""]
        )
        writer.writerow(["", "", "", "", "", "姓名", "电话"])
        writer.writerow(["1", "天津某公司", CODE, "李七庄街", "120", "张伟", "13812345678"])
    table, rows = _read(path)
    assert table.header.row_number == 2
    assert rows[0]["contact_person"] == "张伟" and rows[0]["contact_phone"] == "13812345678"
    assert rows[0]["headcount"] == "120"


def test_group_row_above_the_header(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["基本信息", None, None, "联系人", None])
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("D1:E1")
    sheet.append(["单位名称", "统一社会信用代码", "所属街镇", "姓名", "电话"])
    sheet.append(["天津某公司", CODE, "李七庄街", "张伟", "13812345678"])
    path = tmp_path / "group.xlsx"
    workbook.save(path)
    table, rows = _read(path)
    assert table.header.row_number == 2
    assert rows[0]["contact_person"] == "张伟"
    assert rows[0]["contact_phone"] == "13812345678"
    assert rows[0]["name"] == "天津某公司"


def test_single_row_header_is_unchanged_by_a_data_row_below(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["单位名称", "统一社会信用代码", "所属街镇", "联系人"])
    sheet.append(["天津某公司", CODE, "李七庄街", "张伟"])
    path = tmp_path / "plain.xlsx"
    workbook.save(path)
    table, rows = _read(path)
    assert table.header.row_number == 1 and len(rows) == 1


def test_repeated_title_and_header_block_is_skipped_and_counted(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    block = [
        ["李七庄街用人单位花名册"],
        ["序号", "单位名称", "统一社会信用代码", "所属街镇"],
    ]
    for part in range(2):
        for row in block:
            sheet.append(row)
        for index in range(1, 4):
            sheet.append([index, f"公司{part}{index}", CODE, "李七庄街"])
        sheet.append([])
    path = tmp_path / "pasted.xlsx"
    workbook.save(path)
    table, rows = _read(path)
    assert [r["name"] for r in rows] == ["公司01", "公司02", "公司03", "公司11", "公司12", "公司13"]
    assert table.skipped_rows == 2
    assert table.skipped_notes == 0


def test_scientific_notation_code_in_csv_says_what_happened(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text(
        "单位名称,统一社会信用代码,所属街镇\n天津某公司,9.11201E+17,李七庄街\n", "utf-8"
    )
    _table, rows = _read(path)
    with translation.override("en"), pytest.raises(sheets.CellError) as caught:
        sheets.parse_code_text(rows[0]["credit_code"])
    assert "lost digits" in str(caught.value)
    with translation.override("zh-hans"), pytest.raises(sheets.CellError) as caught:
        sheets.parse_code_text("9.11201E+17")
    assert (
        str(caught.value) == "该代码已被 Excel 转成数字并丢失了位数：请把该列设为文本格式后重新导出"
    )
    assert sheets.parse_code_text(CODE) == CODE


def test_xlsm_is_read_as_a_workbook(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["单位名称", "统一社会信用代码", "所属街镇"])
    sheet.append(["天津某公司", CODE, "李七庄街"])
    path = tmp_path / "roster.xlsm"
    workbook.save(path)
    with path.open("rb") as handle:
        assert sheets.check_upload(handle, name=path.name) == "xlsx"
    table, rows = _read(path)
    assert table.kind == "xlsx" and rows[0]["name"] == "天津某公司"
    with path.open("rb") as handle:
        _table, rows = _read(handle, name="roster.xlsm")
    assert rows[0]["unit"] == "李七庄街"


def test_roster_without_unit_column_names_the_missing_column(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["序号", "单位名称", "统一社会信用代码", "职工人数"])
    sheet.append([1, "天津某公司", CODE, 12])
    path = tmp_path / "no_unit.xlsx"
    workbook.save(path)
    with translation.override("zh-hans"), pytest.raises(sheets.SpreadsheetError) as caught:
        _read(path)
    message = str(caught.value)
    assert "区域单位" in message and "所属街镇" in message
    assert "表头行缺少必填列" in message
    assert "未找到表头" not in message and "No header row" not in message


def test_file_with_no_header_at_all_still_says_so(tmp_path):
    workbook = Workbook()
    workbook.active.append(["随便", "什么"])
    path = tmp_path / "nothing.xlsx"
    workbook.save(path)
    with translation.override("en"), pytest.raises(sheets.SpreadsheetError) as caught:
        _read(path)
    assert "No header row" in str(caught.value)
