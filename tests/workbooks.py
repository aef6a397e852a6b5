"""Spreadsheets for the tests: the column titles as the sample files spell them (a
rejected-rows report repeats a file's own titles and adds two), and a workbook written from
rows, as bytes or as a file; and the rows of a downloaded workbook."""

import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from django.http import StreamingHttpResponse
from openpyxl import Workbook, load_workbook

# The roster columns of the 李七庄 sample, after its 序号 column.
ROSTER_TITLES = (
    "单位名称",
    "统一社会信用代码",
    "单位类型",
    "所属街镇",
    "法定代表人",
    "联系人",
    "联系电话",
    "职工人数",
    "所属行业",
    "注册地址",
    "成立日期",
)

# The case ledger's columns, in the sample ledger's order.
LEDGER_TITLES = (
    "案件编号",
    "统一社会信用代码",
    "单位名称",
    "案件来源",
    "立案日期",
    "决定日期",
    "责令改正",
    "整改期限",
    "整改完成日期",
    "行政处理决定",
    "履行期限",
    "履行完毕日期",
    "行政处罚",
    "罚款金额",
    "群体性事件",
    "情节严重",
    "追究刑事责任",
    "撤销立案",
    "结案日期",
)

# What a rejected-rows report adds after the file's own columns.
REPORT_TITLES = ("错误原因", "原表行号")


def xlsx_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    """An .xlsx file whose one sheet holds these rows, from the first line down."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_file(path: Path, rows: Iterable[Sequence[object]]) -> Path:
    """``path``, written as an .xlsx file whose one sheet holds these rows."""
    path.write_bytes(xlsx_bytes(rows))
    return path


def xlsx_rows(response: StreamingHttpResponse) -> list[tuple]:
    """The values of a streamed .xlsx download's first sheet, row by row, the header first."""
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))
