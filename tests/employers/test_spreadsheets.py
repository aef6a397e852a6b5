"""The shared spreadsheet reader: formats, header search, cell parsers, upload checks, report."""

import codecs
import datetime
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from core import spreadsheets as sheets
from tests.workbooks import xlsx_file

ALIASES = {
    "credit_code": ["统一社会信用代码", "社会信用代码"],
    "name": ["单位名称", "企业名称"],
    "unit": ["所属街镇", "街镇"],
    "phone": ["联系电话", "电话"],
    "established_on": ["成立日期"],
    "headcount": ["职工人数", "从业人数"],
}
REQUIRED = {"credit_code", "name", "unit"}


def _xlsx(tmp_path: Path, rows: list[list], name: str = "t.xlsx") -> Path:
    return xlsx_file(tmp_path / name, rows)


def _read(path: Path, **kwargs) -> tuple[sheets.Table, list[sheets.Row]]:
    table = sheets.open_table(path, aliases=ALIASES, required=REQUIRED, **kwargs)
    with table:
        return table, list(table)


# ---- the sample files -------------------------------------------------------------------


def test_lqz_sample_header_on_row_3_and_signature_row_skipped(fixture_path):
    table, rows = _read(fixture_path / "李七庄街_用人单位花名册_2026年10月.xlsx")
    assert table.kind == "xlsx"
    assert table.header.row_number == 3
    assert table.header.title_of("credit_code") == "统一社会信用代码"
    # rows 4..84 are data; row 85 is blank and row 86 is the 填表人/审核人 row
    assert [r.number for r in rows] == list(range(4, 85))
    assert table.skipped_notes == 1
    assert rows[0]["name"] == "天津汇丰德润食品有限公司"
    # 序号 is not mapped to anything
    assert "序号" not in table.header.columns


def test_xls_sample_with_short_header_names(fixture_path):
    table, rows = _read(fixture_path / "杨柳青镇_用人单位名单.xls")
    assert table.kind == "xls"
    assert table.header.row_number == 1
    assert table.header.title_of("credit_code") == "社会信用代码"
    assert len(rows) == 50
    assert sheets.parse_int(rows[0]["headcount"]) == 725


def test_gb18030_csv_sample(fixture_path):
    table, rows = _read(fixture_path / "精武镇_用人单位.csv")
    assert table.kind == "csv"
    assert len(rows) == 40
    assert rows[0]["unit"] == "精武镇"
    assert rows[0].number == 2


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_encodings(tmp_path, encoding):
    text = "单位名称,统一社会信用代码,所属街镇\r\n天津测试有限公司,911201117706402073,李七庄\r\n"
    path = tmp_path / "x.csv"
    path.write_bytes(text.encode(encoding))
    _table, rows = _read(path)
    assert rows[0]["name"] == "天津测试有限公司"
    assert rows[0]["credit_code"] == "911201117706402073"


def test_csv_with_tabs_and_short_rows(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(
        "单位名称\t统一社会信用代码\t所属街镇\t电话\n甲公司\t911201117706402073\t李七庄\n"
    )
    _table, rows = _read(path)
    assert rows[0]["phone"] == ""
    assert rows[0]["unit"] == "李七庄"


# ---- header search ------------------------------------------------------------------------


def test_header_found_below_titles_with_variants(tmp_path):
    path = _xlsx(
        tmp_path,
        [
            ["某某街道用人单位登记表"],
            [],
            ["填报单位：某街道"],
            ["序号", "单位名称*", "统一社会 信用代码", "所属街镇（必填）", "职工人数(人)", "备注"],
            [1, "甲公司", "911201117706402073", "李七庄", "12人", "无"],
        ],
    )
    table, rows = _read(path)
    assert table.header.row_number == 4
    assert table.header.columns == {"name": 1, "credit_code": 2, "unit": 3, "headcount": 4}
    assert rows[0].number == 5
    assert sheets.parse_int(rows[0]["headcount"]) == 12


def test_full_width_header_matches(tmp_path):
    path = _xlsx(tmp_path, [["单位名称", "统一社会信用代码", "所属街镇", "联系电话（手机）"]])
    table, _rows = _read(path)
    assert table.header.columns["phone"] == 3


def test_rows_keep_excel_numbers_when_sheet_starts_lower(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet["C5"] = "单位名称"
    sheet["D5"] = "统一社会信用代码"
    sheet["E5"] = "所属街镇"
    sheet["C7"] = "甲公司"
    sheet["D7"] = "911201117706402073"
    sheet["E7"] = "李七庄"
    path = tmp_path / "offset.xlsx"
    workbook.save(path)
    table, rows = _read(path)
    assert table.header.row_number == 5
    assert [r.number for r in rows] == [7]
    assert rows[0]["name"] == "甲公司"


def test_second_sheet_used_when_first_has_no_header(tmp_path):
    workbook = Workbook()
    workbook.active.append(["说明：本表由街道填报"])
    other = workbook.create_sheet("名单")
    other.append(["单位名称", "统一社会信用代码", "所属街镇"])
    other.append(["甲公司", "911201117706402073", "李七庄"])
    path = tmp_path / "two.xlsx"
    workbook.save(path)
    table, rows = _read(path)
    assert table.sheet_name == "名单"
    assert len(rows) == 1


def test_missing_required_column_is_named(tmp_path):
    path = _xlsx(tmp_path, [["单位名称", "统一社会信用代码", "地址"], ["甲", "x", "y"]])
    with pytest.raises(sheets.SpreadsheetError) as caught:
        sheets.open_table(path, aliases=ALIASES, required=REQUIRED, labels={"unit": "所属街镇"})
    assert "所属街镇" in str(caught.value)


def test_blank_rows_and_trailing_formatting_are_skipped(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["单位名称", "统一社会信用代码", "所属街镇"])
    sheet.append(["甲公司", "911201117706402073", "李七庄"])
    sheet.append(["", "  ", None])
    sheet.append(["乙公司", "91350100M000100Y43", "李七庄"])
    for row in range(5, 300):  # borders and fills only
        sheet.cell(row=row, column=1).number_format = "@"
    sheet.append(["合计", "", ""])
    path = tmp_path / "blank.xlsx"
    workbook.save(path)
    table, rows = _read(path)
    assert [r["name"] for r in rows] == ["甲公司", "乙公司"]
    assert table.skipped_notes == 1


def test_row_without_key_fields_that_is_not_a_note_is_kept(tmp_path):
    path = _xlsx(
        tmp_path,
        [["单位名称", "统一社会信用代码", "所属街镇", "电话"], ["", "", "", "13800000000"]],
    )
    _table, rows = _read(path)
    assert len(rows) == 1


def test_note_rows_found_after_blank_leading_cells_and_data_rows_kept(tmp_path):
    path = _xlsx(
        tmp_path,
        [
            ["序号", "单位名称", "统一社会信用代码", "所属街镇"],
            [1, "甲公司", "911201117706402073", "李七庄"],
            ["", "  ", "合计", 1],  # a totals row whose label is not in the first column
            [None, " ", "填表人：王敏", "审核人：李强"],  # label: value pairs, no key field
            [" ", "单位名称：乙公司", "91350100M000100Y43", "李七庄"],  # has a key field
            ["\t", "", None, ""],  # whitespace only
            [0, "丙公司", "92370102MA3M9AG94X", "杨柳青"],  # 序号 0 is a filled cell
        ],
    )
    table, rows = _read(path)
    assert [r.number for r in rows] == [2, 5, 7]
    assert table.skipped_notes == 2


def test_note_check_on_a_row_alone():
    def no_key() -> bool:
        return False

    assert sheets._is_note(["合计", "", 3], no_key)
    assert sheets._is_note(["", None, "注：以上数据截至10月"], no_key)
    assert sheets._is_note(["联系人：张三", " ", "电话：123"], no_key)
    assert not sheets._is_note(["联系人：张三", "电话：123"], lambda: True)
    assert not sheets._is_note(["联系人：张三", "天津某公司"], no_key)
    assert not sheets._is_note([1, "合计"], no_key)  # a data row starts with its 序号
    assert not sheets._is_note(["", "  ", None], no_key)


# ---- cell parsers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  天津（测试）　有限公司 ", "天津(测试) 有限公司"),
        ("ＡＢＣ１２３", "ABC123"),
        (42.0, "42"),
        (7, "7"),
        (None, ""),
        (datetime.date(2015, 3, 5), "2015-03-05"),
        (datetime.datetime(2015, 3, 5, 8, 30), "2015-03-05 08:30:00"),
        ("a\u200bb", "ab"),
        ("  plain   ascii\ttext ", "plain ascii text"),
        ("ascii\x00nul", "asciinul"),
        ("中文\x00控制", "中文控制"),
        (True, "是"),
        (Decimal("12.50"), "12.50"),
    ],
)
def test_clean_text(raw, expected):
    assert sheets.clean_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,200", 1200),
        ("120人", 120),
        (42.0, 42),
        ("42", 42),
        (42, 42),
        ("１２０", 120),
        ("", None),
        ("  ", None),
        ("1，200", 1200),
    ],
)
def test_parse_int(raw, expected):
    assert sheets.parse_int(raw) == expected


@pytest.mark.parametrize("raw", ["约50", "1.5", 1.5, "-3", -3, True, "五十"])
def test_parse_int_rejects(raw):
    with pytest.raises(sheets.CellError):
        sheets.parse_int(raw)


@pytest.mark.parametrize(
    "raw",
    [
        datetime.date(2015, 3, 5),
        datetime.datetime(2015, 3, 5, 8, 30),
        42068.0,
        42068,
        "2015-03-05",
        "2015-3-5",
        "2015/3/5",
        "2015.03.05",
        "2015年3月5日",
        "2015 年 3 月 5 日",
        "20150305",
        20150305.0,
        "2015-03-05 00:00:00",
        "２０１５－０３－０５",
    ],
)
def test_parse_date_forms(raw):
    assert sheets.parse_date(raw) == datetime.date(2015, 3, 5)


@pytest.mark.parametrize("raw", ["2015-02-30", "3/5/2015", "2015年3月", "昨天", 0.5, "1850-01-01"])
def test_parse_date_rejects(raw):
    with pytest.raises(sheets.CellError):
        sheets.parse_date(raw)


def test_parse_date_empty():
    assert sheets.parse_date("") is None
    assert sheets.parse_date(None) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1.3812345678e10, "13812345678"),
        (13812345678, "13812345678"),
        ("1.3812345678E10", "13812345678"),
        ("1.3812345678E+10", "13812345678"),
        ("13812345678.0", "13812345678"),
        ("022-27390000", "022-27390000"),
        ("", ""),
    ],
)
def test_parse_phone(raw, expected):
    assert sheets.parse_phone(raw) == expected


def test_parse_phone_refuses_lost_digits():
    with pytest.raises(sheets.CellError):
        sheets.parse_phone("1.38123E+10")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("是", True),
        ("否", False),
        ("Y", True),
        ("n", False),
        ("√", True),
        (1, True),
        (0.0, False),
        ("1", True),
        ("0", False),
        ("", False),
        (None, False),
        ("TRUE", True),
    ],
)
def test_parse_bool(raw, expected):
    assert sheets.parse_bool(raw) is expected


def test_parse_bool_rejects_unknown():
    with pytest.raises(sheets.CellError):
        sheets.parse_bool("也许")


@pytest.mark.parametrize("raw", [9.11201117706402e17, 911201117706402073, 120111600123456.0])
def test_code_typed_as_number_is_refused(raw):
    with pytest.raises(sheets.CellError):
        sheets.parse_code_text(raw)


def test_code_text_is_cleaned():
    assert sheets.parse_code_text(" ９１２０ ") == "9120"


# ---- upload checks ----------------------------------------------------------------------


def _check(data: bytes, name: str, **kwargs) -> str:
    return sheets.check_upload(io.BytesIO(data), name=name, **kwargs)


def test_check_accepts_samples(fixture_path):
    for name, kind in [
        ("李七庄街_用人单位花名册_2026年10月.xlsx", "xlsx"),
        ("杨柳青镇_用人单位名单.xls", "xls"),
        ("精武镇_用人单位.csv", "csv"),
    ]:
        assert _check((fixture_path / name).read_bytes(), name) == kind


def test_check_refuses_wrong_extension():
    with pytest.raises(sheets.SpreadsheetError):
        _check(b"hello", "roster.docx")


def test_check_refuses_empty_file():
    with pytest.raises(sheets.SpreadsheetError):
        _check(b"", "roster.xlsx")


def test_check_refuses_too_large(fixture_path):
    data = (fixture_path / "李七庄街_用人单位花名册_2026年10月.xlsx").read_bytes()
    with pytest.raises(sheets.SpreadsheetError):
        _check(data, "roster.xlsx", max_bytes=1000)


def test_check_refuses_truncated_xlsx(fixture_path):
    data = (fixture_path / "李七庄街_用人单位花名册_2026年10月.xlsx").read_bytes()
    with pytest.raises(sheets.SpreadsheetError):
        _check(data[: len(data) // 2], "roster.xlsx")


def test_check_refuses_password_protected_xlsx():
    # Excel stores an encrypted .xlsx as an OLE2 container with an EncryptionInfo stream.
    fake = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 504
        + "EncryptionInfo".encode("utf-16-le")
        + b"\x00" * 600
    )
    with pytest.raises(sheets.SpreadsheetError):
        _check(fake, "roster.xlsx")


def test_check_refuses_word_document_in_ole2():
    fake = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\0" * 100
    with pytest.raises(sheets.SpreadsheetError):
        _check(fake, "roster.xls")


def test_check_refuses_pdf_and_html_and_images():
    for data, name in [
        (b"%PDF-1.7\n...", "roster.csv"),
        (b"<html><table><tr><td>1</td></tr></table></html>", "roster.xls"),
        (b"\x89PNG\r\n\x1a\n....", "roster.xlsx"),
    ]:
        with pytest.raises(sheets.SpreadsheetError):
            _check(data, name)


def test_check_refuses_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(sheets.SpreadsheetError):
        _check(buffer.getvalue(), "roster.xlsx")


def test_check_refuses_binary_csv():
    with pytest.raises(sheets.SpreadsheetError):
        _check(b"\x00\x01\x02\x03garbage", "roster.csv")


def test_check_accepts_renamed_excel_formats(fixture_path):
    data = (fixture_path / "杨柳青镇_用人单位名单.xls").read_bytes()
    assert _check(data, "renamed.xlsx") == "xls"


def test_renamed_workbook_is_readable(tmp_path, fixture_path):
    path = tmp_path / "renamed.xlsx"
    path.write_bytes((fixture_path / "杨柳青镇_用人单位名单.xls").read_bytes())
    _table, rows = _read(path)
    assert len(rows) == 50


def test_open_table_on_file_object(fixture_path):
    data = (fixture_path / "精武镇_用人单位.csv").read_bytes()
    handle = io.BytesIO(data)
    with sheets.open_table(handle, aliases=ALIASES, required=REQUIRED, name="x.csv") as table:
        assert len(list(table)) == 40
    assert not handle.closed


def test_gb18030_detection_scans_past_the_first_chunk(tmp_path):
    # Pure ASCII for more than a megabyte, then GB18030 text: UTF-8 must not be assumed.
    head = "单位名称,统一社会信用代码,所属街镇\r\n".encode("gb18030")
    filler = b"".join(b"A%07d,911201117706402073,x\r\n" % i for i in range(40000))
    tail = "精武镇公司,911201117706402073,精武镇\r\n".encode("gb18030")
    path = tmp_path / "big.csv"
    path.write_bytes(head + filler + tail)
    _table, rows = _read(path)
    assert rows[-1]["name"] == "精武镇公司"


def test_utf8_bom_is_not_part_of_the_first_title(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + "单位名称,统一社会信用代码,所属街镇\n甲,1,2\n".encode())
    table, _rows = _read(path)
    assert table.header.titles[0] == "单位名称"


# ---- report -------------------------------------------------------------------------------


def test_report_keeps_original_columns_and_adds_error(tmp_path, fixture_path):
    table, rows = _read(fixture_path / "李七庄街_用人单位花名册_2026年10月.xlsx")
    report = sheets.RejectedRowsReport(table.header.titles)
    report.add(rows[6], "统一社会信用代码：校验位错误")
    formula_row = sheets.Row(99, ["=HYPERLINK(1)", "x"], table.header)
    report.add(formula_row, "bad")
    out = tmp_path / "report.xlsx"
    report.save(out)
    sheet = load_workbook(out).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0][:12]) == list(table.header.titles)
    assert len(values[0]) == 14
    assert values[1][2] == "91120111MAXNRUE49G"
    assert values[1][12] == "统一社会信用代码：校验位错误"
    assert values[1][13] == 10
    assert values[2][0] == "'=HYPERLINK(1)"
    assert report.count == 2
    # The report can be read back by the same reader, so users fix it and upload it again.
    _t2, again = _read(out)
    assert [r["credit_code"] for r in again] == ["91120111MAXNRUE49G", ""]
