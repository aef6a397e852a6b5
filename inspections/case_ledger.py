"""Case ledger import (案件台账): the historical enforcement cases units keep in Excel.

Two phases, as for the roster: ``case_ledger_read`` validates every row and says what would
happen (created / updated / unchanged / rejected, with the row and column of each problem);
``case_ledger_import`` runs the same reading and then writes everything in one short
transaction, or nothing. Re-importing the same file changes nothing. The rows are matched to
existing cases by case number.

Bulk writes go through simple-history's bulk helpers (history rows carry the importing user)
and the import is recorded as an ``ImportBatch``; ``cases_changed_in_bulk`` is sent after the
commit so the ratings of the employers concerned are recomputed.
"""

import io
import logging
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core import spreadsheets as sheets
from employers.credit_code import normalise_credit_code, validate_credit_code
from employers.models import Employer, ImportBatch

from .items import Item
from .models import Case
from .signals import cases_changed_in_bulk

logger = logging.getLogger(__name__)

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
# What a row sets on a Case; compared field by field to tell "updated" from "unchanged".
CASE_FIELDS = (
    "employer_id",
    "source",
    "opened_on",
    "decided_on",
    "order_issued",
    "order_deadline",
    "order_rectified_on",
    "decision_issued",
    "decision_number",
    "decision_deadline",
    "decision_fulfilled_on",
    "penalty_issued",
    "penalty_number",
    "penalty_amount",
    "mass_incident",
    "serious",
    "serious_reason",
    "criminal",
    "withdrawn",
    "closed_on",
    "violation_items",
    "facts",
)
_LOOKUP_CHUNK = 1000
# Case.penalty_amount holds 14 digits, 2 of them after the point.
MAX_AMOUNT = Decimal("999999999999.99")


@dataclass
class Rejection:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return _("Row %(row)d, %(column)s: %(reason)s") % {
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
        }


@dataclass
class LedgerResult:
    """What a ledger file does (or did) to the case table."""

    created: list[Case] = field(default_factory=list)
    updated: list[Case] = field(default_factory=list)
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    report: bytes | None = None
    file_error: str = ""

    @property
    def rejected(self) -> int:
        return len({r.row for r in self.rejections})

    @property
    def summary(self) -> str:
        return (
            f"created={len(self.created)} updated={len(self.updated)} "
            f"unchanged={self.unchanged} rejected={self.rejected}"
        )

    @property
    def employer_ids(self) -> set[int]:
        return {c.employer_id for c in (*self.created, *self.updated)}


class _RowError(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


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


@dataclass
class _Parsed:
    row: sheets.Row
    number: str
    credit_code: str
    values: dict[str, Any]


def _parse_row(row: sheets.Row, header: sheets.Header) -> _Parsed:
    """One row's values, or ``_RowError`` naming the column as the file titles it."""

    def title(name: str) -> str:
        return header.title_of(name)

    def cell(name: str, parse):
        try:
            return parse(row[name])
        except sheets.CellError as exc:
            raise _RowError(title(name), str(exc)) from None

    number = cell("number", sheets.clean_text)
    if not number:
        raise _RowError(title("number"), _("The case number is empty."))
    if len(number) > 50:
        raise _RowError(title("number"), _("The case number is longer than 50 characters."))
    code = normalise_credit_code(cell("credit_code", sheets.parse_code_text))
    if not code:
        raise _RowError(title("credit_code"), _("The credit code is empty."))
    try:
        validate_credit_code(code)
    except ValidationError as exc:
        raise _RowError(title("credit_code"), " ".join(exc.messages)) from None
    source_text = cell("source", sheets.clean_text)
    if row.has("source"):
        source = SOURCES.get(source_text.replace(" ", ""))
        if source is None:
            raise _RowError(
                title("source"),
                _(
                    "“%(value)s” is not a case source; write one of 日常巡查, 书面审查, 投诉举报, 专项检查, 移送."
                )
                % {"value": source_text},
            )
    else:
        source = Case.Source.SPECIAL
    values: dict[str, Any] = {"source": source}
    for name in (
        "opened_on",
        "decided_on",
        "order_deadline",
        "order_rectified_on",
        "decision_deadline",
        "decision_fulfilled_on",
        "closed_on",
    ):
        values[name] = cell(name, sheets.parse_date)
    if values["opened_on"] is None:
        raise _RowError(title("opened_on"), _("The date the case was opened is empty."))
    for name in (
        "order_issued",
        "decision_issued",
        "penalty_issued",
        "mass_incident",
        "serious",
        "criminal",
        "withdrawn",
    ):
        values[name] = cell(name, sheets.parse_bool)
    values["penalty_amount"] = cell("penalty_amount", _amount)
    for name in ("decision_number", "penalty_number", "serious_reason", "facts"):
        values[name] = cell(name, sheets.clean_text)
    values["violation_items"] = _items(row["violation_items"])
    _check_consistency(values, title)
    return _Parsed(row=row, number=number, credit_code=code, values=values)


def _check_consistency(values: dict[str, Any], title) -> None:
    """The Case constraints, checked in Python with the column named (the database would
    only say which constraint failed, and checking per row there costs a query each)."""
    needs = (
        ("order_issued", ("order_deadline", "order_rectified_on")),
        ("decision_issued", ("decision_deadline", "decision_fulfilled_on")),
        ("penalty_issued", ("penalty_amount",)),
    )
    for flag, names in needs:
        if values[flag]:
            continue
        for name in names:
            if values[name] is not None:
                raise _RowError(
                    title(name),
                    _("filled in, but %(flag)s says 否: write 是 there or clear this cell.")
                    % {"flag": title(flag)},
                )
    opened, decided = values["opened_on"], values["decided_on"]
    if decided and decided < opened:
        raise _RowError(title("decided_on"), _("The decision date is before the case was opened."))
    if (
        values["order_issued"] or values["decision_issued"] or values["penalty_issued"]
    ) and not decided:
        raise _RowError(
            title("decided_on"),
            _("A case with an order, a handling decision or a penalty needs its decision date."),
        )
    for name in ("order_deadline", "decision_deadline"):
        if values[name] and decided and values[name] < decided:
            raise _RowError(title(name), _("The deadline is before the decision date."))
    if values["closed_on"] and values["closed_on"] < opened:
        raise _RowError(title("closed_on"), _("The case is closed before it was opened."))


def _employers_by_code(codes: set[str]) -> dict[str, Employer]:
    found: dict[str, Employer] = {}
    ordered = sorted(codes)
    for start in range(0, len(ordered), _LOOKUP_CHUNK):
        chunk = ordered[start : start + _LOOKUP_CHUNK]
        found.update(
            (e.credit_code, e)
            for e in Employer.objects.filter(credit_code__in=chunk).only(
                "id", "credit_code", "name"
            )
        )
    return found


def _cases_by_number(numbers: set[str]) -> dict[str, Case]:
    found: dict[str, Case] = {}
    ordered = sorted(numbers)
    for start in range(0, len(ordered), _LOOKUP_CHUNK):
        chunk = ordered[start : start + _LOOKUP_CHUNK]
        found.update((c.number, c) for c in Case.objects.filter(number__in=chunk))
    return found


def case_ledger_read(source: str | Path | BinaryIO, *, name: str | None = None) -> LedgerResult:
    """Validate a ledger file and work out what importing it would do; writes nothing.

    The cases in ``created``/``updated`` are unsaved (new) or changed in memory (existing)."""
    result = LedgerResult()
    try:
        table = sheets.open_table(
            source,
            aliases=COLUMNS,
            required=REQUIRED,
            key_fields={"number", "credit_code"},
            labels=LABELS,
            name=name,
        )
    except sheets.SpreadsheetError as exc:
        result.file_error = str(exc)
        return result
    # (row, error) pairs; the report workbook is only made when something was rejected
    report: list[tuple[sheets.Row, str]] = []
    parsed: list[_Parsed] = []
    with table:
        try:
            for row in table:
                try:
                    parsed.append(_parse_row(row, table.header))
                except _RowError as exc:
                    result.rejections.append(Rejection(row.number, exc.column, exc.reason))
                    report.append((row, f"{exc.column}: {exc.reason}"))
        except sheets.SpreadsheetError as exc:
            result.file_error = str(exc)
            return result

    employers = _employers_by_code({p.credit_code for p in parsed})
    existing = _cases_by_number({p.number for p in parsed})
    seen: dict[str, _Parsed] = {}
    header = table.header
    for item in parsed:
        row = item.row
        employer = employers.get(item.credit_code)
        if employer is None:
            reason = _(
                "No employer with credit code %(code)s in the registry: import the unit's "
                "roster (or add the employer) first."
            ) % {"code": item.credit_code}
            result.rejections.append(Rejection(row.number, header.title_of("credit_code"), reason))
            report.append((row, f"{header.title_of('credit_code')}: {reason}"))
            continue
        item.values["employer_id"] = employer.pk
        earlier = seen.get(item.number)
        if earlier is not None:
            if earlier.values == item.values:
                result.unchanged += 1  # the same case listed twice: one case
                continue
            reason = _("Case number %(number)s is already on row %(row)d with different data.") % {
                "number": item.number,
                "row": earlier.row.number,
            }
            result.rejections.append(Rejection(row.number, header.title_of("number"), reason))
            report.append((row, f"{header.title_of('number')}: {reason}"))
            continue
        seen[item.number] = item
        case = existing.get(item.number)
        if case is None:
            result.created.append(_new_case(item))
            continue
        if case.employer_id != employer.pk:
            reason = _(
                "Case number %(number)s already belongs to another employer in the system."
            ) % {"number": item.number}
            result.rejections.append(Rejection(row.number, header.title_of("number"), reason))
            report.append((row, f"{header.title_of('number')}: {reason}"))
            continue
        if _apply(case, item):
            result.updated.append(case)
        else:
            result.unchanged += 1
    if report:
        workbook = sheets.RejectedRowsReport(header.titles)
        for row, error in sorted(report, key=lambda pair: pair[0].number):
            workbook.add(row, error)
        buffer = io.BytesIO()
        workbook.save(buffer)
        result.report = buffer.getvalue()
    return result


def _serious_reason(item: _Parsed, current: str = "") -> str:
    if not item.values["serious"]:
        return ""
    return item.values["serious_reason"] or current or _("Recorded as serious in the case ledger.")


def _new_case(item: _Parsed) -> Case:
    values = dict(item.values)
    values["serious_reason"] = _serious_reason(item)
    return Case(number=item.number, **values)


def _apply(case: Case, item: _Parsed) -> bool:
    """Set the row's values on an existing case; True when anything changed. Columns the
    file does not have, and empty free-text cells, leave the case's own value alone."""
    changed = False
    header_columns = item.row.header.columns
    for name in CASE_FIELDS:
        if name == "employer_id":
            continue
        if name in COLUMNS and name not in header_columns and name != "serious_reason":
            continue
        value = item.values[name]
        if name == "serious_reason":
            value = _serious_reason(item, case.serious_reason)
        elif (
            name in ("decision_number", "penalty_number", "facts", "violation_items") and not value
        ):
            continue
        if getattr(case, name) != value:
            setattr(case, name, value)
            changed = True
    if changed and not case.serious:
        case.serious_judged_by = None
    return changed


def case_ledger_import(
    source: str | Path | BinaryIO,
    *,
    name: str | None = None,
    user: AbstractBaseUser | None,
    batch: ImportBatch | None = None,
    dry_run: bool = False,
) -> LedgerResult:
    """Read the ledger and, unless ``dry_run``, write it in one transaction.

    Valid rows are written even when others are rejected (nothing valid is lost; the rejected
    ones come back in ``report``). When ``batch`` is given it is updated with the counts."""
    result = case_ledger_read(source, name=name)
    if result.file_error or dry_run:
        if batch is not None:
            _record(batch, result, committed=False)
        return result
    reason = _("Case ledger import %(file)s") % {"file": name or getattr(source, "name", "")}
    stamp = timezone.now()
    for case in result.updated:
        case.updated_at = stamp  # bulk_update skips auto_now
    try:
        with transaction.atomic():
            _write(result, user=user, reason=reason, batch=batch)
    except DatabaseError as exc:
        # Another import or a form saved one of these case numbers between the reading and
        # the writing (unique number), or the database gave up on a lock: the transaction
        # rolled back, so say so instead of failing the request.
        logger.warning("case ledger import %s failed: %s", name, exc)
        result.created, result.updated = [], []
        result.file_error = _(
            "The import was not saved: some of these cases were changed at the same time. "
            "Nothing was written; please import the file again."
        )
        if batch is not None:
            batch.committed_at = None
            _record(batch, result, committed=False)
    return result


def _write(
    result: LedgerResult, *, user: AbstractBaseUser | None, reason: str, batch: ImportBatch | None
) -> None:
    if result.created:
        bulk_create_with_history(
            result.created,
            Case,
            batch_size=500,
            default_user=user,
            default_change_reason=reason[:100],
        )
    if result.updated:
        bulk_update_with_history(
            result.updated,
            Case,
            fields=[f for f in CASE_FIELDS if f != "employer_id"]
            + ["serious_judged_by", "updated_at"],
            batch_size=500,
            default_user=user,
            default_change_reason=reason[:100],
        )
    if batch is not None:
        _record(batch, result, committed=True)
    employer_ids = sorted(result.employer_ids)
    if employer_ids:
        transaction.on_commit(
            lambda: cases_changed_in_bulk.send(sender=Case, employer_ids=employer_ids)
        )


def _record(batch: ImportBatch, result: LedgerResult, *, committed: bool) -> None:
    batch.created = len(result.created)
    batch.updated = len(result.updated)
    batch.unchanged = result.unchanged
    batch.rejected = result.rejected
    batch.message = result.file_error
    if result.file_error:
        batch.status = ImportBatch.Status.FAILED
    elif committed:
        batch.status = ImportBatch.Status.COMMITTED
        batch.committed_at = timezone.now()
    batch.save()
