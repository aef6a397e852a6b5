"""Both import commands on the sample files give exactly what they gave before the imports
were built on one pipeline: the summary lines and the rejected-rows workbook, cell by cell.
The expected values below were recorded from the earlier code."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.workbooks import LEDGER_TITLES, REPORT_TITLES, ROSTER_TITLES

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
LQZ = "李七庄街_用人单位花名册_2026年10月.xlsx"
YLQ = "杨柳青镇_用人单位名单.xls"
JW = "精武镇_用人单位.csv"
LEDGER = "案件台账_示例.xlsx"


# The rejected-rows reports as they were before (the same report where the same rows were
# rejected).
REPORT_1 = [
    ["序号", *ROSTER_TITLES, *REPORT_TITLES],
    [
        "7",
        "天津华信正泰生物医药有限公司",
        "91120111MAXNRUE49G",
        "企业",
        "李七庄",
        "吕杰",
        "唐强",
        "19847271890",
        "385",
        "制造业",
        "天津市西青区李七庄街道中北大道29号",
        "2001-05-18",
        "统一社会信用代码：91120111MAXNRUE49G 的校验位错误（应为 9）：请核对代码是否录入有误。",
        "10",
    ],
    [
        "16",
        "西青区何涛汽车修理部",
        "120111600123456",
        "个体工商户",
        "李七庄街道",
        "孙超秀",
        "彭丽明",
        "15028380167",
        "4",
        "居民服务、修理和其他服务业",
        "天津市西青区李七庄街道赛达大道100号",
        "2018-05-14 00:00:00",
        "统一社会信用代码：120111600123456 是旧的15位工商注册号，需要填写18位统一社会信用代码。",
        "19",
    ],
    [
        "34",
        "西青区王国水果店",
        None,
        "个体工商户",
        "李七庄街道",
        "徐秀国",
        "谢芳",
        "15266264484",
        "3",
        "制造业",
        "天津市西青区李七庄街道梨双公路40号",
        "1998年12月6日",
        "统一社会信用代码：必填项未填写。",
        "37",
    ],
    [
        "42",
        None,
        "91120111MAQBAUYB7M",
        "企业",
        "李七庄",
        "林红娜",
        "赵明",
        "18377965959",
        "1325",
        "教育",
        "天津市西青区李七庄街道杨柳青大道231号",
        "2020-01-25",
        "单位名称：必填项未填写。",
        "45",
    ],
    [
        "48",
        "天津同创金桥汽车零部件有限公司",
        "91120111MAAQNBD31E",
        "企业",
        "南开区",
        "袁艳涛",
        "韩平艳",
        "18589068466",
        "1302",
        "租赁和商务服务业",
        "天津市西青区李七庄街道李七庄路283号",
        "2015/9/13",
        "所属街镇：“南开区”不是西青区的街道、镇或开发区。",
        "51",
    ],
    [
        "53",
        "天津嘉禾金桥食品有限公司",
        "91120111MATBAELE0Q",
        "外资代表处",
        "李七庄",
        "高艳平",
        "宋敏",
        "13337043332",
        "255",
        "建筑业",
        "天津市西青区李七庄街道津静公路122号",
        "2021/2/15",
        "单位类型：无法识别的单位类型“外资代表处”：请填写企业、个体工商户、职业介绍机构（人力资源服务机构）或职业技能培训机构。",
        "56",
    ],
]

REPORT_2 = [
    ["企业名称", "社会信用代码", "类型", "街镇", "法人", "电话", "从业人数", "地址", *REPORT_TITLES]
]

REPORT_3 = [
    [
        "单位名称",
        "统一社会信用代码",
        "单位类型",
        "所属街镇",
        "法定代表人",
        "联系电话",
        "职工人数",
        *REPORT_TITLES,
    ]
]

# file -> (the summary line of the dry run and of the first import, which agree; the summary
# line of the second import; the report rows as text, None where no report is written). Each
# of the three runs writes the same report.
EXPECTED = {
    LQZ: (
        "created=74 updated=0 unchanged=0 rejected=6",
        "created=0 updated=0 unchanged=74 rejected=6",
        REPORT_1,
    ),
    YLQ: (
        "created=50 updated=0 unchanged=0 rejected=0",
        "created=0 updated=0 unchanged=50 rejected=0",
        REPORT_2,
    ),
    JW: (
        "created=40 updated=0 unchanged=0 rejected=0",
        "created=0 updated=0 unchanged=40 rejected=0",
        REPORT_3,
    ),
    LEDGER: (
        "created=30 updated=0 unchanged=0 rejected=0",
        "created=0 updated=0 unchanged=30 rejected=0",
        None,
    ),
}

# The sample ledger imported before any roster: every row rejected for its unknown employer.
# One line a row, in the ledger's order (the report's 原表行号 counts from 2), holding the
# columns that differ between rows: 案件编号 to 罚款金额, then 撤销立案 and 结案日期. The
# ledger's dates are Excel dates and read back as midnight; no row is a 群体性事件, 情节严重 or
# 追究刑事责任 case.
# fmt: off
UNKNOWN_EMPLOYER_ROWS = [
    ("西青人社监〔2025〕001号", "91120111MA933B5E9M", "天津启明正泰科技有限公司", "专项检查", "2025-01-28", "2025-02-22", "是", "2025-03-09", None, "否", None, None, "否", None, "否", "2025-03-24"),
    ("西青人社监〔2026〕002号", "91120111MA4RAAAR5R", "天津中诚新程物流有限公司", "专项检查", "2026-05-20", "2026-06-06", "是", "2026-06-21", "2026-06-14", "否", None, None, "否", None, "否", "2026-07-06"),
    ("西青人社监〔2025〕003号", "91120111MA196A6Y37", "天津鑫源永安商贸有限公司", "专项检查", "2025-08-25", "2025-09-15", "是", "2025-09-30", "2025-09-21", "否", None, None, "否", None, "否", "2025-10-15"),
    ("西青人社监〔2026〕004号", "91120111MA7BGA9X1Q", "天津中诚众合商贸有限公司", "日常巡查", "2026-06-30", "2026-07-20", "是", "2026-08-04", "2026-07-27", "否", None, None, "否", None, "否", "2026-08-19"),
    ("西青人社监〔2026〕005号", "91120111MAC7AJHT7M", "天津鑫源海川科技有限公司", "专项检查", "2026-01-16", "2026-03-02", "是", "2026-03-17", "2026-03-13", "否", None, None, "否", None, "否", "2026-04-01"),
    ("西青人社监〔2026〕006号", "91120111MA8BX6200X", "天津华信正泰物流有限公司", "日常巡查", "2026-05-26", "2026-07-07", "是", "2026-07-22", "2026-07-18", "否", None, None, "否", None, "否", "2026-08-06"),
    ("西青人社监〔2026〕007号", "91120111MA0YFLH99G", "天津华信凯晟餐饮管理有限公司", "书面审查", "2026-01-12", "2026-01-22", "否", None, None, "是", "2026-02-06", None, "否", None, "否", "2026-02-21"),
    ("西青人社监〔2025〕008号", "91120111MAC7AJHT7M", "天津鑫源海川科技有限公司", "投诉举报", "2025-02-08", "2025-02-24", "是", "2025-03-11", None, "否", None, None, "否", None, "否", "2025-03-26"),
    ("西青人社监〔2025〕009号", "91120111MA4RAAAR5R", "天津中诚新程物流有限公司", "书面审查", "2025-10-29", "2025-11-09", "是", "2025-11-24", None, "否", None, None, "否", None, "否", "2025-12-09"),
    ("西青人社监〔2026〕010号", "91120111MA4RAAAR5R", "天津中诚新程物流有限公司", "日常巡查", "2026-03-10", "2026-04-10", "否", None, None, "是", "2026-04-25", None, "否", None, "否", "2026-05-10"),
    ("西青人社监〔2025〕011号", "91120111MAU2GDBU1C", "天津鑫源新程物业服务有限公司", "日常巡查", "2025-12-17", "2026-02-05", "是", "2026-02-20", "2026-02-11", "否", None, None, "否", None, "否", "2026-03-07"),
    ("西青人社监〔2025〕012号", "91120111MA98BD655Y", "天津盛达正泰物流有限公司", "专项检查", "2025-03-14", "2025-05-03", "是", "2025-05-18", "2025-05-12", "否", None, None, "是", "20000", "否", "2025-06-02"),
    ("西青人社监〔2026〕013号", "91120111MA933B5E9M", "天津启明正泰科技有限公司", "专项检查", "2026-01-23", "2026-02-24", "否", None, None, "否", None, None, "否", None, "是", "2026-03-26"),
    ("西青人社监〔2025〕014号", "91120111MA0XK5Q72G", "天津永安诺康生物医药有限公司", "投诉举报", "2025-05-30", "2025-06-11", "是", "2025-06-26", "2025-06-15", "否", None, None, "否", None, "否", "2025-07-11"),
    ("西青人社监〔2025〕015号", "91120111MAC9PQT5XC", "天津汇丰德润食品有限公司", "投诉举报", "2025-02-27", "2025-04-15", "否", None, None, "是", "2025-04-30", "2025-04-25", "否", None, "否", "2025-05-15"),
    ("西青人社监〔2025〕016号", "91120111MA933B5E9M", "天津启明正泰科技有限公司", "投诉举报", "2025-07-13", "2025-07-25", "是", "2025-08-09", None, "否", None, None, "否", None, "否", "2025-08-24"),
    ("西青人社监〔2026〕017号", "91120111MA8U41N695", "天津德润中诚科技有限公司", "书面审查", "2026-04-27", "2026-05-21", "否", None, None, "否", None, None, "是", "5000", "否", "2026-06-20"),
    ("西青人社监〔2026〕018号", "91120111MA8BX6200X", "天津华信正泰物流有限公司", "书面审查", "2026-06-03", "2026-06-24", "是", "2026-07-09", None, "否", None, None, "否", None, "否", "2026-07-24"),
    ("西青人社监〔2025〕019号", "91120111MA933B5E9M", "天津启明正泰科技有限公司", "日常巡查", "2025-04-07", "2025-05-07", "否", None, None, "否", None, None, "否", None, "是", "2025-06-06"),
    ("西青人社监〔2025〕020号", "91120111MA4RAAAR5R", "天津中诚新程物流有限公司", "专项检查", "2025-11-02", "2025-12-07", "是", "2025-12-22", "2025-12-24", "否", None, None, "是", "50000", "否", "2026-01-06"),
    ("西青人社监〔2025〕021号", "91120111MA90BFGC4M", "天津永安聚力包装材料有限公司", "书面审查", "2025-07-20", "2025-09-02", "是", "2025-09-17", "2025-09-13", "否", None, None, "是", "5000", "否", "2025-10-02"),
    ("西青人社监〔2026〕022号", "91120111MA0XK5Q72G", "天津永安诺康生物医药有限公司", "专项检查", "2026-07-06", "2026-08-21", "否", None, None, "否", None, None, "否", None, "是", "2026-09-20"),
    ("西青人社监〔2026〕023号", "92120111MAG8PH8Y56", "西青区马杰烟酒店", "日常巡查", "2026-03-01", "2026-03-30", "是", "2026-04-14", None, "否", None, None, "否", None, "否", "2026-04-29"),
    ("西青人社监〔2025〕024号", "91120111MA4RAAAR5R", "天津中诚新程物流有限公司", "日常巡查", "2025-05-15", "2025-06-21", "否", None, None, "否", None, None, "否", None, "是", "2025-07-21"),
    ("西青人社监〔2025〕025号", "91120111MAC7AJHT7M", "天津鑫源海川科技有限公司", "专项检查", "2025-12-05", "2026-01-21", "否", None, None, "是", "2026-02-05", "2026-01-31", "否", None, "否", "2026-02-20"),
    ("西青人社监〔2025〕026号", "91120111MAD58RX02K", "天津宏远同创新材料有限公司", "投诉举报", "2025-08-05", "2025-08-23", "是", "2025-09-07", "2025-09-12", "否", None, None, "否", None, "否", "2025-09-22"),
    ("西青人社监〔2025〕027号", "91120111MA98BD655Y", "天津盛达正泰物流有限公司", "投诉举报", "2025-03-04", "2025-03-16", "否", None, None, "是", "2025-03-31", "2025-03-26", "否", None, "否", "2025-04-15"),
    ("西青人社监〔2026〕028号", "92120111MAG8PH8Y56", "西青区马杰烟酒店", "书面审查", "2026-04-08", "2026-04-30", "是", "2026-05-15", "2026-05-11", "否", None, None, "否", None, "否", "2026-05-30"),
    ("西青人社监〔2026〕029号", "91120111MA99CFEP1B", "天津正泰众合精密模具有限公司", "书面审查", "2026-05-10", "2026-06-03", "否", None, None, "否", None, None, "否", None, "是", "2026-07-03"),
    ("西青人社监〔2025〕030号", "92120111MA9J9U9P3Q", "西青区沈霞兰汽车修理部", "专项检查", "2025-04-30", "2025-05-11", "是", "2025-05-26", "2025-05-28", "否", None, None, "否", None, "否", "2025-06-10"),
]
# fmt: on
DATE_COLUMNS = (4, 5, 7, 8, 10, 11, 15)


def _unknown_employer_report(rows: list[tuple]) -> list[list]:
    report = [[*LEDGER_TITLES, *REPORT_TITLES]]
    for line, row in enumerate(rows, start=2):
        cells = [
            f"{cell} 00:00:00" if index in DATE_COLUMNS and cell else cell
            for index, cell in enumerate(row)
        ]
        reason = (
            f"统一社会信用代码: 用人单位库中没有统一社会信用代码为{row[1]}的单位："
            "请先导入该街镇的花名册（或添加该单位）。"
        )
        report.append([*cells[:14], "否", "否", "否", *cells[14:], reason, str(line)])
    return report


CASES_WITHOUT_ROSTER = (
    "created=0 updated=0 unchanged=0 rejected=30",
    _unknown_employer_report(UNKNOWN_EMPLOYER_ROWS),
)


def _run(command: str, name: str, tmp_path: Path, *options: str) -> tuple:
    out = StringIO()
    report = tmp_path / f"{command}-{name}-{len(options)}.xlsx"
    if report.exists():
        report.unlink()
    call_command(command, str(FIXTURES / name), *options, "--report", str(report), stdout=out)
    rows = None
    if report.exists():
        sheet = load_workbook(report, read_only=True).active
        rows = [
            [None if cell is None else str(cell) for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    return out.getvalue().strip(), rows


@pytest.mark.django_db
def test_commands_on_the_samples_give_what_they_gave_before(tmp_path):
    for name, (first, second, rows) in EXPECTED.items():
        command = "import_cases" if name == LEDGER else "import_roster"
        for run, options, summary in (
            ("dry", ("--dry-run",), first),
            ("1", (), first),
            ("2", (), second),
        ):
            assert _run(command, name, tmp_path, *options) == (summary, rows), f"{name} {run}"


@pytest.mark.django_db
def test_case_ledger_without_its_employers_reports_every_row_as_before(tmp_path):
    summary, rows = CASES_WITHOUT_ROSTER
    assert _run("import_cases", LEDGER, tmp_path) == (summary, rows)
