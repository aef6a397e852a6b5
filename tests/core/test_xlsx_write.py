"""core.xlsxwrite: the files it writes read back, cell for cell, in openpyxl, in python-calamine
(the reader of every import) and in the project's own streaming reader; text is neutralised as
``safe_cell`` does, on the fast path and on the slow one."""

import datetime
import decimal
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from core import spreadsheets as sheets
from core import xlsxwrite
from core.exports import safe_cell, write_xlsx
from core.spreadsheets.xlsxstream import StreamedWorkbook

DAY = datetime.date(2026, 5, 4)
MOMENT = datetime.datetime(2026, 5, 4, 13, 14, 15)
LONG = "长" * 40_000
TEXTS = [
    "天津市西青区某某物流有限公司",
    '=HYPERLINK("http://x")',
    "+1",
    "-2",
    "@SUM(A1)",
    "\tTab",
    "\rCR",
    "a\x01b\x1fc",
    "a & b < c > d",
    " leading and trailing ",
    "two\nlines\r\nand a CR",
    "_x000D_ is not a carriage return",
    "under_score",
    "'already quoted",
    "😀 outside the BMP",
]


def _write(path: Path, rows: list[list], header: list[str] | None = None) -> int:
    return write_xlsx(str(path), header=header or ["h"], rows=rows, sheet_title="表 1")


def _openpyxl_rows(path: Path) -> list[list]:
    sheet = load_workbook(path).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _calamine_rows(path: Path) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def test_text_reads_back_neutralised_in_both_readers(tmp_path):
    path = tmp_path / "t.xlsx"
    assert _write(path, [[text] for text in TEXTS]) == len(TEXTS)
    expected = [safe_cell(text) for text in TEXTS]
    # openpyxl does not undo the format's own _xHHHH_ escapes; Excel and calamine do.
    from_openpyxl = [row[0].replace("_x005F_", "_") for row in _openpyxl_rows(path)[1:]]
    assert from_openpyxl == expected
    assert [row[0] for row in _calamine_rows(path)[1:]] == expected
    cells = list(load_workbook(path).active.iter_rows(min_row=2, max_col=1))
    assert all(row[0].data_type == "s" for row in cells)  # never a formula


def test_characters_xml_cannot_hold_are_dropped(tmp_path):
    path = tmp_path / "t.xlsx"
    write_xlsx(str(path), header=["h\ufffe"], rows=[["a\ufffeb\uffffc\ud800d"]])
    assert _openpyxl_rows(path) == [["h"], ["abcd"]]


def test_types_read_back(tmp_path):
    path = tmp_path / "t.xlsx"
    row = [
        1,
        -7,
        2.5,
        decimal.Decimal("1234.50"),
        True,
        False,
        DAY,
        MOMENT,
        None,
        "",
        "end",
        10**15,
    ]
    _write(path, [row], header=[f"c{i}" for i in range(len(row))])
    (opened,) = _openpyxl_rows(path)[1:]
    assert opened[:6] == [1, -7, 2.5, 1234.5, True, False]
    assert opened[6] == datetime.datetime.combine(DAY, datetime.time())
    assert opened[7] == MOMENT
    assert opened[8:] == [None, None, "end", 10**15]
    (calamine,) = _calamine_rows(path)[1:]
    assert calamine[:6] == [1, -7, 2.5, 1234.5, True, False]
    assert calamine[6:8] == [DAY, MOMENT]
    assert calamine[8:] == ["", "", "end", 10**15]


def test_dates_keep_their_formats_and_excels_calendar(tmp_path):
    path = tmp_path / "t.xlsx"
    days = [datetime.date(1900, 1, 1), datetime.date(1900, 2, 28), datetime.date(1900, 3, 1)]
    _write(path, [[day] for day in days] + [[datetime.date(1899, 12, 31)]])
    sheet = load_workbook(path).active
    assert [sheet.cell(row=n, column=1).value.date() for n in (2, 3, 4)] == days
    assert sheet.cell(row=2, column=1).number_format == xlsxwrite.DATE_FORMAT
    # Before 1900 Excel has no serial number: the day is written as text.
    assert sheet.cell(row=5, column=1).value == "1899-12-31"
    _write(path, [[MOMENT]])
    assert load_workbook(path).active["A2"].number_format == xlsxwrite.DATETIME_FORMAT


def test_aware_datetimes_are_written_in_local_time(tmp_path, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    path = tmp_path / "t.xlsx"
    aware = datetime.datetime(2026, 5, 4, 1, 0, tzinfo=datetime.UTC)
    _write(path, [[aware]])
    assert _calamine_rows(path)[1][0] == datetime.datetime(2026, 5, 4, 9, 0)


def test_long_text_is_cut_to_excels_limit(tmp_path):
    path = tmp_path / "t.xlsx"
    _write(path, [[LONG, "short"], ["=" + LONG]])
    rows = _calamine_rows(path)
    assert rows[1] == [LONG[: xlsxwrite.MAX_TEXT], "short"]
    assert rows[2][0] == ("'=" + LONG)[: xlsxwrite.MAX_TEXT]


def test_header_is_written_as_given_and_the_sheet_named(tmp_path):
    path = tmp_path / "t.xlsx"
    write_xlsx(
        str(path), header=["-负数", "a&b"], rows=[["x", "y"]], sheet_title="Coverage 2026/05:[x]?"
    )
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Coverage 2026_05__x__"]
    assert _openpyxl_rows(path)[0] == ["-负数", "a&b"]


def test_rows_of_other_widths_and_many_columns(tmp_path):
    path = tmp_path / "t.xlsx"
    wide = [f"v{i}" for i in range(60)]
    _write(path, [["a"], wide, [], [None, None, "c"]])
    rows = _calamine_rows(path)
    assert rows[2] == wide
    assert rows[3] == [""] * 60
    assert rows[4][:3] == ["", "", "c"]
    assert xlsxwrite.column_letters(0) == "A"
    assert xlsxwrite.column_letters(25) == "Z"
    assert xlsxwrite.column_letters(26) == "AA"
    assert xlsxwrite.column_letters(16383) == "XFD"


def test_a_stream_that_cannot_seek_gets_a_valid_file():
    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, chunk) -> int:
            self.data += chunk
            return len(chunk)

    pipe = Pipe()
    write_xlsx(pipe, header=["h"], rows=[[n, f"r{n}"] for n in range(3000)])
    assert zipfile.ZipFile(io.BytesIO(pipe.data)).testzip() is None
    rows = CalamineWorkbook.from_filelike(io.BytesIO(pipe.data)).get_sheet_by_index(0).to_python()
    assert rows[-1] == [2999, "r2999"]


def test_the_project_readers_take_the_file_back(tmp_path):
    """An exported file can be edited and imported again: open_table and the streaming reader."""
    path = tmp_path / "ledger.xlsx"
    header = ["统一社会信用代码", "单位名称", "立案日期"]
    rows = [["91120111MA05K8XQ3D", "=某公司", DAY], ["91120111MA05K8XQ4E", "乙公司", None]]
    write_xlsx(str(path), header=header, rows=rows, sheet_title="案件台账")
    aliases = {"credit_code": ["统一社会信用代码"], "name": ["单位名称"], "opened_on": ["立案日期"]}
    with sheets.open_table(path, aliases=aliases, required={"credit_code", "name"}) as table:
        read = [(row["credit_code"], row["name"], row["opened_on"]) for row in table]
    assert read == [("91120111MA05K8XQ3D", "'=某公司", DAY), ("91120111MA05K8XQ4E", "乙公司", "")]
    with path.open("rb") as handle:
        workbook = StreamedWorkbook(handle)
        ((name, member),) = workbook.sheets
        streamed = [cells for _number, cells in workbook.rows(member, max_columns=3)]
    assert name == "案件台账"
    assert streamed == [header, [*rows[0][:1], "'=某公司", DAY], ["91120111MA05K8XQ4E", "乙公司"]]


def test_more_rows_than_excel_holds_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsxwrite, "MAX_ROWS", 3)
    with pytest.raises(ValueError, match="at most 3 rows"):
        _write(tmp_path / "t.xlsx", [["a"], ["b"], ["c"]])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.text(
                    st.characters(exclude_categories=("Cs",), exclude_characters="\ufffe\uffff"),
                    max_size=40,
                ),
                st.none(),
                st.integers(-(10**9), 10**9),
            ),
            min_size=1,
            max_size=6,
        ),
        min_size=1,
        max_size=20,
    )
)
def test_any_rows_read_back_as_safe_cell_gives_them(rows):
    """Plain rows go by the fast path, rows with anything to escape by the slow one: both read
    back as ``safe_cell`` of what was written."""
    handle = io.BytesIO()
    write_xlsx(handle, header=["h"], rows=rows)
    handle.seek(0)
    read = CalamineWorkbook.from_filelike(handle).get_sheet_by_index(0).to_python()[1:]
    read += [[]] * (len(rows) - len(read))  # calamine leaves out empty rows at the end
    for written, got in zip(rows, read, strict=True):
        expected = ["" if v is None else safe_cell(v) for v in written]
        assert (got + [""] * len(expected))[: len(expected)] == expected
