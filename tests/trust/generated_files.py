"""Hypothesis strategies for the spreadsheets streets and towns might send, and files that are
not spreadsheets at all.

A generated sheet is a ``Sheet``: title rows, a header (aliases in any order, full-width or
starred spellings, empty and duplicate titles, unknown columns) and data rows of three kinds:

- ``good``: a valid record (the importer must take it),
- ``mutated``: a valid record with one cell replaced by junk (taken or rejected, never lost
  silently: if it is not rejected it must be in the database),
- ``junk``: random cells (rejected, skipped as blank/notes, or taken if by chance valid).

It is written as .xlsx (openpyxl), or .csv in UTF-8, UTF-8 with BOM or GB18030.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import struct
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from employers.credit_code import make_credit_code
from tests.workbooks import xlsx_bytes

# --------------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------------

FORMULAS = [
    "=1+1",
    "=SUM(A1:A3)",
    '=HYPERLINK("http://example.invalid","点击")',
    "=cmd|' /C calc'!A0",
    "+86 138",
    "-1",
    "@SUM(1+1)",
    "=IF(1,2,3)",
]
FULL_WIDTH = st.text(
    alphabet=st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E), max_size=12
)
CJK = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), max_size=12)
ANY_TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40
)
TRICKY_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\u3000",  # ideographic space
        "\u200b",  # zero-width space
        "\ufeff统一社会信用代码",
        "合计",
        "填表人：王敏",
        "备注：无",
        "1.3812345678E10",
        "1.38123E+10",
        "9.11201117706402E+17",
        "２０１５年３月５日",
        "2015-02-30",
        "0000-00-00",
        "1899-12-31",
        "2999-01-01",
        "20150305",
        "是",
        "否",
        "√",
        "NaN",
        "inf",
        "-0",
        "1e309",
        "１２０人",
        "李七庄街",
        "开发区",
        "南开区",
        "x" * 400,
        "天" * 301,
        "天津_x0000_公司",  # an escaped NUL, which readers of .xlsx turn back into \x00
        "天津\x01\x7f公司",
        "\x1f",
    ]
)
HUGE_NUMBERS = st.integers(min_value=10**15, max_value=10**40) | st.integers(
    min_value=-(10**30), max_value=-1
)
FLOATS = st.floats(allow_nan=False, allow_infinity=False, width=64) | st.sampled_from(
    [9.11201117706402e17, 1.3812345678e10, 42.0, 0.1, 1e308, -0.0, 20150305.0, 42068.0, 99999.5]
)
DATES = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(9999, 12, 31))
DATETIMES = st.datetimes(
    min_value=datetime.datetime(1900, 1, 1), max_value=datetime.datetime(9999, 12, 31)
)

JUNK_CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from(FORMULAS),
    FULL_WIDTH,
    CJK,
    ANY_TEXT,
    TRICKY_TEXT,
    HUGE_NUMBERS,
    st.integers(min_value=-1000, max_value=100000),
    FLOATS,
    DATES,
    DATETIMES,
)


def full_width(text: str) -> str:
    """ASCII letters and digits as their full-width forms (what Chinese input methods type)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


# --------------------------------------------------------------------------------------------
# Sheets
# --------------------------------------------------------------------------------------------


@dataclass
class DataRow:
    kind: str  # good / mutated / junk
    cells: list[Any]
    key: str = ""  # credit code (roster) or case number (ledger) of good and mutated rows
    number: int = 0  # the row number Excel shows, set when the sheet is laid out
    mutated_field: str | None = None  # the field whose (first) column the junk replaced
    mutated_value: Any = None


@dataclass
class Sheet:
    titles: list[Any]
    title_rows: list[list[Any]]
    rows: list[DataRow]
    fmt: str  # xlsx / csv-utf8 / csv-bom / csv-gb18030
    extras: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        first = len(self.title_rows) + 2
        for offset, row in enumerate(self.rows):
            row.number = first + offset

    @property
    def name(self) -> str:
        return "upload.xlsx" if self.fmt == "xlsx" else "upload.csv"

    def all_rows(self) -> list[list[Any]]:
        return [*self.title_rows, list(self.titles), *(r.cells for r in self.rows)]

    def to_bytes(self) -> bytes:
        if self.fmt == "xlsx":
            return _xlsx_bytes(self.all_rows())
        encoding = {"csv-utf8": "utf-8", "csv-bom": "utf-8-sig", "csv-gb18030": "gb18030"}[self.fmt]
        return _csv_text(self.all_rows()).encode(encoding)


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**53:
        # Excel stores numbers as doubles: a huge integer arrives as the float it becomes.
        return float(value)
    return value


def _xlsx_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    return xlsx_bytes([_xlsx_cell(v) for v in row] for row in rows)


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def _csv_text(rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue()


FORMATS = st.sampled_from(["xlsx", "xlsx", "csv-utf8", "csv-bom", "csv-gb18030"])


def _spelled(alias: str) -> st.SearchStrategy[str]:
    """A header title as people type it: as is, full-width, starred, with a bracketed note."""
    return st.sampled_from(
        [alias, full_width(alias), f"{alias}*", f"*{alias}", f" {alias} ", f"{alias}（必填）"]
    )


@st.composite
def headers(
    draw: st.DrawFn,
    *,
    aliases: dict[str, list[str]],
    required: Sequence[str],
    ignored: frozenset[str] = frozenset(),
) -> tuple[list[str], dict[str, list[int]]]:
    """(titles, field -> the column indexes whose title names it)."""
    usable = {
        name: [a for a in names if a not in ignored] or [name] for name, names in aliases.items()
    }
    optional = [n for n in aliases if n not in required]
    chosen = list(required) + draw(st.lists(st.sampled_from(optional), unique=True, max_size=6))
    columns: list[tuple[str | None, str]] = []
    for name in chosen:
        columns.append((name, draw(st.sampled_from(usable[name]).flatmap(_spelled))))
    # A duplicate header (the same field twice) and columns the importer must ignore.
    if draw(st.booleans()):
        dup = draw(st.sampled_from(chosen))
        columns.append((dup, draw(st.sampled_from(usable[dup]))))
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        columns.append((None, draw(st.sampled_from(["", "序号", "备注", "Unnamed", "其它信息"]))))
    order = draw(st.permutations(range(len(columns))))
    columns = [columns[i] for i in order]
    titles = [title for _name, title in columns]
    by_field: dict[str, list[int]] = {}
    for index, (name, _title) in enumerate(columns):
        if name is not None:
            by_field.setdefault(name, []).append(index)
    return titles, by_field


TITLE_ROWS = st.lists(
    st.lists(st.one_of(CJK, st.sampled_from(["西青区用人单位名单", "填报单位：", ""])), max_size=2),
    max_size=3,
)


def _fill(width: int, by_field: dict[str, list[int]], values: dict[str, Any]) -> list[Any]:
    cells: list[Any] = [None] * width
    for name, value in values.items():
        for index in by_field.get(name, []):
            cells[index] = value
    return cells


@st.composite
def sheets_of(
    draw: st.DrawFn,
    *,
    aliases: dict[str, list[str]],
    required: Sequence[str],
    good_values: Callable[[st.DrawFn, int, set[str]], tuple[str, dict[str, Any]]],
    ignored: frozenset[str] = frozenset(),
    max_rows: int = 12,
) -> Sheet:
    titles, by_field = draw(headers(aliases=aliases, required=required, ignored=ignored))
    width = len(titles)
    kinds = draw(
        st.lists(
            st.sampled_from(["good", "mutated", "junk", "junk"]), min_size=1, max_size=max_rows
        )
    )
    serial = itertools.count(1)
    rows: list[DataRow] = []
    for kind in kinds:
        if kind == "junk":
            cells = draw(st.lists(JUNK_CELL, min_size=0, max_size=width + 1))
            rows.append(DataRow("junk", cells))
            continue
        key, values = good_values(draw, next(serial), set(by_field))
        cells = _fill(width, by_field, values)
        row = DataRow(kind, cells, key)
        if kind == "mutated":
            index = draw(st.integers(min_value=0, max_value=width - 1))
            cells[index] = row.mutated_value = draw(JUNK_CELL)
            row.mutated_field = next(
                (name for name, indexes in by_field.items() if indexes[0] == index), None
            )
        rows.append(row)
    if rows and draw(st.booleans()):
        # The same good row twice: counted once.
        goods = [r for r in rows if r.kind == "good"]
        if goods:
            twin = draw(st.sampled_from(goods))
            rows.append(DataRow("good", list(twin.cells), twin.key))
    return Sheet(titles, draw(TITLE_ROWS), rows, draw(FORMATS), {"by_field": by_field})


# --------------------------------------------------------------------------------------------
# Roster and ledger rows
# --------------------------------------------------------------------------------------------

UNIT_SPELLINGS = ["李七庄街道", "李七庄街", "李七庄", "杨柳青镇", "杨柳青", "西青开发区", "开发区"]


GoodValues = Callable[[st.DrawFn, int, set[str]], tuple[str, dict[str, Any]]]


def roster_good(prefix: int) -> GoodValues:
    def values(draw: st.DrawFn, serial: int, columns: set[str]) -> tuple[str, dict[str, Any]]:
        code = make_credit_code(f"91120111{prefix:04d}{serial:05d}")
        spelled = draw(st.sampled_from([code, code.lower(), full_width(code), f" {code} "]))
        return code, {
            "credit_code": spelled,
            "name": f"天津生成{prefix}号第{serial}有限公司",
            "unit": draw(st.sampled_from(UNIT_SPELLINGS)),
        }

    return values


def ledger_good(codes: Sequence[str], prefix: int) -> GoodValues:
    def values(draw: st.DrawFn, serial: int, columns: set[str]) -> tuple[str, dict[str, Any]]:
        number = f"西青人社监〔2025〕{prefix:04d}{serial:02d}号"
        opened = draw(st.dates(datetime.date(2020, 1, 1), datetime.date(2025, 12, 31)))
        row: dict[str, Any] = {
            "number": number,
            "credit_code": draw(st.sampled_from(list(codes))),
            "opened_on": draw(
                st.sampled_from(
                    [opened, opened.isoformat(), f"{opened:%Y}年{opened.month}月{opened.day}日"]
                )
            ),
            # a ledger that has the source column must fill it (a blank one is rejected)
            "source": draw(st.sampled_from(["日常巡查", "投诉举报", "专项检查", "移送"])),
        }
        if {"decided_on", "penalty_issued"} <= columns and draw(st.booleans()):
            decided = opened + datetime.timedelta(days=draw(st.integers(0, 60)))
            row |= {
                "decided_on": decided,
                "penalty_issued": draw(st.sampled_from(["是", "√", "Y", True])),
                "penalty_amount": draw(st.sampled_from([5000, "5,000元", "2万元", 12000.5])),
            }
        return number, row

    return values


# --------------------------------------------------------------------------------------------
# Files that are not usable spreadsheets
# --------------------------------------------------------------------------------------------

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


ENDOFCHAIN = 0xFFFFFFFE
FREESECT = 0xFFFFFFFF
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF


def _directory_entry(
    name: str, kind: int, start: int, size: int, *, child: int = -1, right: int = -1
) -> bytes:
    """One 128-byte directory entry (kind 5 root, 2 stream, 0 unused)."""
    encoded = (name + "\x00").encode("utf-16-le") if name else b""
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        encoded.ljust(64, b"\x00"),
        len(encoded),
        kind,
        1,  # black
        NOSTREAM,  # left sibling
        NOSTREAM if right < 0 else right,
        NOSTREAM if child < 0 else child,
        b"\x00" * 16,
        0,
        0,
        0,
        start,
        size,
    )


def encrypted_xlsx() -> bytes:
    """What Excel writes for a workbook with an open password: an OLE2 (compound file)
    container with an EncryptionInfo and an EncryptedPackage stream instead of a ZIP.

    Built by hand (msoffcrypto-tool is not a dependency): a version-3 header, one FAT sector,
    one directory sector, then the two streams (4 KiB each, so they live in ordinary sectors
    rather than the mini stream); the package bytes are noise, as encrypted bytes look."""
    sector = 512
    stream_sectors = 4096 // sector
    header = bytearray(sector)
    header[0:8] = OLE2_MAGIC
    # minor version, major version 3, little-endian mark, 512-byte sectors, 64-byte mini sectors
    struct.pack_into("<HHHHH", header, 24, 0x003E, 0x0003, 0xFFFE, 9, 6)
    # FAT sectors 1, directory at sector 1, no transactions, mini cutoff 4096, no mini FAT,
    # no DIFAT sectors
    struct.pack_into("<IIIIIIII", header, 44, 1, 1, 0, 0x1000, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
    struct.pack_into("<109I", header, 76, 0, *([FREESECT] * 108))  # the FAT is sector 0
    info_start = 2
    package_start = info_start + stream_sectors
    fat = [FATSECT, ENDOFCHAIN]
    for start in (info_start, package_start):
        fat += [*range(start + 1, start + stream_sectors), ENDOFCHAIN]
    fat_sector = struct.pack("<128I", *(fat + [FREESECT] * (128 - len(fat))))
    directory = (
        _directory_entry("Root Entry", 5, ENDOFCHAIN, 0, child=1)
        + _directory_entry("EncryptionInfo", 2, info_start, 4096, right=2)
        + _directory_entry("EncryptedPackage", 2, package_start, 4096)
        + _directory_entry("", 0, 0, 0)
    )
    info = struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0"?><encryption/>'
    package = bytes((i * 37 + i // 7) % 256 for i in range(4096))
    return bytes(header) + fat_sector + directory + info.ljust(4096, b"\x00") + package


def ole2_padding_only() -> bytes:
    """The bare OLE2 signature and zero padding, named .xlsx."""
    return OLE2_MAGIC + b"\x00" * 4088


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)
