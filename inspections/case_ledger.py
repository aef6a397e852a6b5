"""Case ledger (案件台账): the historical enforcement cases units keep in Excel, and what one
row means. Pure rules, no database: ``inspections.importer`` declares them as the columns of
the case-ledger importer, which ``imports.pipeline`` runs.
"""

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import spreadsheets as sheets
from employers.credit_code import normalise_credit_code, validate_credit_code

from .items import Item
from .models import Case, case_date_errors

# field -> header titles that mean it (SPEC section 7 first, then what ledgers also write)
COLUMNS: dict[str, list[str]] = {
    "number": ["案件编号", "案号", "立案编号", "案件号", "编号"],
    "credit_code": ["统一社会信用代码", "社会信用代码", "信用代码", "统一代码"],
    "name": ["单位名称", "用人单位", "用人单位名称", "企业名称", "被检查单位"],
    "source": ["案件来源", "来源"],
    "opened_on": ["立案日期", "立案时间"],
    "decided_on": ["决定日期", "决定时间", "处理日期"],
    "order_issued": ["责令改正", "是否责令改正", "责令改正(是/否)"],
    "order_deadline": ["整改期限", "改正期限", "责令改正期限"],
    "order_rectified_on": ["整改完成日期", "改正完成日期", "整改日期"],
    "decision_issued": ["行政处理决定", "是否行政处理", "行政处理决定(是/否)", "行政处理"],
    "decision_number": ["处理决定书文号", "行政处理决定书文号", "处理决定文号"],
    "decision_deadline": ["履行期限", "处理决定履行期限"],
    "decision_fulfilled_on": ["履行完毕日期", "履行日期", "履行完成日期"],
    "penalty_issued": ["行政处罚", "是否行政处罚", "行政处罚(是/否)"],
    "penalty_number": ["处罚决定书文号", "行政处罚决定书文号", "处罚文号"],
    "penalty_amount": ["罚款金额", "罚款金额(元)", "罚款", "处罚金额"],
    "mass_incident": ["群体性事件", "群体性事件(是/否)", "群体性"],
    "serious": ["情节严重", "情节严重(是/否)", "其他严重违法"],
    "serious_reason": ["情节严重认定理由", "认定理由", "严重情节说明"],
    "criminal": ["追究刑事责任", "追究刑事责任(是/否)", "移送司法", "刑事责任"],
    "withdrawn": ["撤销立案", "撤销立案(是/否)", "撤案"],
    "closed_on": ["结案日期", "结案时间"],
    "violation_items": ["违法事项", "违法行为", "违法类型"],
    "facts": ["违法事实", "案情", "主要违法事实"],
}
REQUIRED = {"number", "credit_code", "opened_on"}
LABELS = {name: titles[0] for name, titles in COLUMNS.items()}

SOURCES = {
    "日常巡查": Case.Source.PATROL,
    "巡查": Case.Source.PATROL,
    "巡视检查": Case.Source.PATROL,
    "书面审查": Case.Source.WRITTEN_REVIEW,
    "书面审核": Case.Source.WRITTEN_REVIEW,
    "年度书面审查": Case.Source.WRITTEN_REVIEW,
    "投诉举报": Case.Source.COMPLAINT,
    "投诉": Case.Source.COMPLAINT,
    "举报": Case.Source.COMPLAINT,
    "举报投诉": Case.Source.COMPLAINT,
    "专项检查": Case.Source.SPECIAL,
    "专项执法检查": Case.Source.SPECIAL,
    "专项": Case.Source.SPECIAL,
    "移送": Case.Source.TRANSFER,
    "转办": Case.Source.TRANSFER,
    "移送转办": Case.Source.TRANSFER,
    "上级交办": Case.Source.TRANSFER,
    "交办": Case.Source.TRANSFER,
}
_ITEM_WORDS = {str(label): value for value, label in Item.choices} | {
    "规章制度": Item.INTERNAL_RULES,
    "内部劳动保障规章制度": Item.INTERNAL_RULES,
    "劳动合同": Item.CONTRACTS,
    "劳务派遣": Item.DISPATCH,
    "童工": Item.CHILD_LABOUR,
    "使用童工": Item.CHILD_LABOUR,
    "女职工和未成年工保护": Item.FEMALE_MINOR,
    "女职工": Item.FEMALE_MINOR,
    "未成年工": Item.FEMALE_MINOR,
    "工作时间和休息休假": Item.WORKING_HOURS,
    "工作时间": Item.WORKING_HOURS,
    "休息休假": Item.WORKING_HOURS,
    "工资支付": Item.WAGES,
    "工资": Item.WAGES,
    "最低工资": Item.WAGES,
    "拖欠工资": Item.WAGES,
    "社会保险": Item.SOCIAL_INSURANCE,
    "社保": Item.SOCIAL_INSURANCE,
    "其他": Item.OTHER,
}
# What a row sets on a Case, compared field by field to tell "updated" from "unchanged": its
# employer (found by the credit code) and every column but those that find the case and the
# employer.
CASE_FIELDS = (
    "employer_id",
    *(name for name in COLUMNS if name not in {"number", "credit_code", "name"}),
)
# Case.penalty_amount holds 14 digits, 2 of them after the point.
MAX_AMOUNT = Decimal("999999999999.99")


def _amount(value: Any) -> Decimal | None:
    """A fine in yuan from 5000, 5000.0, "5,000", "5000元", "￥5000.00"; None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise sheets.CellError(_("“%(value)s” is not an amount.") % {"value": value})
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        text = sheets.clean_text(value).replace(",", "").replace("¥", "").replace("￥", "")
        multiplier = 1
        if text.endswith("万元"):
            text, multiplier = text[:-2], 10000
        elif text.endswith("元"):
            text = text[:-1]
        text = text.strip()
        if not text:
            return None
        try:
            number = Decimal(text) * multiplier
        except InvalidOperation:
            raise sheets.CellError(
                _("“%(value)s” is not an amount in yuan.") % {"value": sheets.clean_text(value)}
            ) from None
    if not number.is_finite():  # NaN, Infinity
        raise sheets.CellError(
            _("“%(value)s” is not an amount in yuan.") % {"value": sheets.clean_text(value)}
        )
    if number < 0:
        raise sheets.CellError(_("The fine cannot be negative."))
    if number > MAX_AMOUNT:
        # Beyond the column (and beyond Decimal's precision for quantize): a typo or a
        # number that Excel turned into 1E+26.
        raise sheets.CellError(
            _("%(value)s yuan is too large for a fine.") % {"value": sheets.clean_text(value)}
        )
    return number.quantize(Decimal("0.01"))


def _items(value: Any) -> list[str]:
    text = sheets.clean_text(value)
    if not text:
        return []
    found = []
    for word in (
        w.strip() for w in text.replace("，", ",").replace("、", ",").replace(";", ",").split(",")
    ):
        if not word:
            continue
        code = _ITEM_WORDS.get(word)
        if code is None:
            code = next((c for label, c in _ITEM_WORDS.items() if label in word), Item.OTHER)
        if code not in found:
            found.append(code)
    return found


def check_consistency(values: dict[str, Any], title: Any = None) -> Iterator[tuple[str, str]]:
    """The Case constraints, checked in Python with the column named (the database would
    only say which constraint failed, and checking per row there costs a query each):
    (field, reason) for each broken rule."""
    needs = (
        ("order_issued", ("order_deadline", "order_rectified_on")),
        ("decision_issued", ("decision_deadline", "decision_fulfilled_on")),
        ("penalty_issued", ("penalty_amount",)),
    )
    label = title or (lambda name: LABELS[name])
    for flag, names in needs:
        if values[flag]:
            continue
        for name in names:
            if values[name] is not None:
                yield (
                    name,
                    _("filled in, but %(flag)s says 否: write 是 there or clear this cell.")
                    % {"flag": label(flag)},
                )
    # The dates a case can have, by the one definition the case form and Case.clean use.
    for name, reason in case_date_errors(values).items():
        yield name, str(reason)
    if (
        values["order_issued"] or values["decision_issued"] or values["penalty_issued"]
    ) and not values["decided_on"]:
        yield (
            "decided_on",
            _("A case with an order, a handling decision or a penalty needs its decision date."),
        )


def clean_number(raw: Any) -> str:
    number = sheets.clean_text(raw)
    if not number:
        raise sheets.CellError(_("The case number is empty."))
    if len(number) > 50:
        raise sheets.CellError(_("The case number is longer than 50 characters."))
    return number


def clean_credit_code(raw: Any) -> str:
    code = normalise_credit_code(sheets.parse_code_text(raw))
    if not code:
        raise sheets.CellError(_("The credit code is empty."))
    try:
        validate_credit_code(code)
    except ValidationError as exc:
        raise sheets.CellError(" ".join(exc.messages)) from None
    return code


def clean_source(raw: Any) -> str:
    text = sheets.clean_text(raw)
    source = SOURCES.get(text.replace(" ", ""))
    if source is None:
        raise sheets.CellError(
            _(
                "“%(value)s” is not a case source; write one of 日常巡查, 书面审查, 投诉举报, 专项检查, 移送."
            )
            % {"value": text}
        )
    return source


def clean_opened_on(raw: Any) -> Any:
    opened = sheets.parse_date(raw)
    if opened is None:
        raise sheets.CellError(_("The date the case was opened is empty."))
    return opened
