"""The employer roster (用人单位花名册): which columns it may have, and what one row means.

Pure rules, no database: a spreadsheet row becomes a ``RosterRecord`` (the cleaned values of the
fields the file provides) or a list of ``RowProblem`` saying, in the user's language, which
column of which row is wrong and why. ``employers.services.roster_import`` reads the file with
``core.spreadsheets``, feeds the rows through here and writes the records in bulk.

The employer form uses the same cleaners (``clean_credit_code``, ``clean_field``), so a value
typed in the browser and a value imported from a file are held to the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import mul
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import spreadsheets as sheets

from .credit_code import CHARSET, WEIGHTS, credit_code_error, normalise_credit_code
from .models import Employer
from .units import unit_code_for

# Field -> header titles that mean it. The first alias is the name used in messages when the file
# lacks the column. Matching ignores spaces, full-width forms, ``*`` and bracketed notes.
ROSTER_COLUMNS: dict[str, list[str]] = {
    "credit_code": [
        "统一社会信用代码",
        "社会信用代码",
        "信用代码",
        "统一信用代码",
        "统一代码",
        "社会统一信用代码",
        "信用代码/注册号",
        "统一社会信用代码/注册号",
    ],
    "name": [
        "单位名称",
        "企业名称",
        "用人单位名称",
        "用人单位",
        "名称",
        "单位全称",
        "企业(单位)名称",
        "公司名称",
        "个体工商户名称",
        "商户名称",
        "字号名称",
    ],
    "kind": ["单位类型", "类型", "单位性质", "企业类型", "主体类型", "用人单位类型", "单位类别"],
    "unit": [
        "所属街镇",
        "街镇",
        "所属街道",
        "街道",
        "街道(镇)",
        "街道/镇",
        "镇街",
        "所在街镇",
        "所属镇街",
        "属地",
        "属地街镇",
        "所属区域",
    ],
    "legal_representative": [
        "法定代表人",
        "法人",
        "法人代表",
        "法定代表人(负责人)",
        "负责人",
        "经营者",
        "投资人",
    ],
    "contact_person": ["联系人", "联系人姓名", "劳资联系人", "人事联系人"],
    "contact_phone": [
        "联系电话",
        "电话",
        "联系方式",
        "手机",
        "手机号",
        "手机号码",
        "联系人电话",
        "联系人手机",
        "电话号码",
    ],
    "headcount": [
        "职工人数",
        "从业人数",
        "人数",
        "员工人数",
        "用工人数",
        "在职人数",
        "职工总数",
        "从业人员",
        "在岗职工人数",
    ],
    "industry": ["所属行业", "行业", "行业类别", "行业分类", "行业门类"],
    "address": [
        "注册地址",
        "地址",
        "单位地址",
        "经营地址",
        "住所",
        "办公地址",
        "生产经营地址",
        "详细地址",
        "经营场所",
    ],
    "established_on": ["成立日期", "成立时间", "注册日期", "开业日期", "成立年月"],
    "status": ["状态", "经营状态", "登记状态", "单位状态"],
    "verified_on": ["核实日期", "最近核实日期", "信息核实日期", "年度核实日期"],
}
REQUIRED_FIELDS = ("name", "credit_code", "unit")

FIELD_LABELS: dict[str, Any] = {
    "credit_code": gettext_lazy("Unified social credit code"),
    "name": gettext_lazy("Name"),
    "kind": gettext_lazy("Kind"),
    "unit": gettext_lazy("Area unit"),
    "legal_representative": gettext_lazy("Legal representative"),
    "contact_person": gettext_lazy("Contact person"),
    "contact_phone": gettext_lazy("Contact phone"),
    "headcount": gettext_lazy("Headcount"),
    "industry": gettext_lazy("Industry"),
    "address": gettext_lazy("Address"),
    "established_on": gettext_lazy("Established on"),
    "status": gettext_lazy("Status"),
    "verified_on": gettext_lazy("Last verified on"),
}

_KIND_NAMES: dict[str, list[str]] = {
    Employer.Kind.ENTERPRISE: [
        "企业",
        "公司",
        "有限公司",
        "有限责任公司",
        "股份有限公司",
        "股份公司",
        "分公司",
        "国有企业",
        "集体企业",
        "私营企业",
        "民营企业",
        "个人独资企业",
        "合伙企业",
        "外商投资企业",
        "外资企业",
        "中外合资企业",
        "港澳台投资企业",
        "enterprise",
    ],
    Employer.Kind.INDIVIDUAL: [
        "个体",
        "个体户",
        "个体工商户",
        "个体经营户",
        "个体经营者",
        "individual",
    ],
    Employer.Kind.AGENCY: [
        "职业介绍机构",
        "职业中介机构",
        "职业中介",
        "职介机构",
        "人力资源服务机构",
        "人力资源服务企业",
        "人力资源服务",
        "agency",
    ],
    Employer.Kind.TRAINING: [
        "职业技能培训机构",
        "职业培训机构",
        "技能培训机构",
        "培训机构",
        "职业技能培训学校",
        "职业培训学校",
        "民办职业培训学校",
        "training",
    ],
}
KIND_ALIASES: dict[str, str] = {
    sheets.header_key(name): kind for kind, names in _KIND_NAMES.items() for name in names
}
STATUS_ALIASES: dict[str, str] = {
    **dict.fromkeys(
        ["在业", "存续", "在营", "开业", "正常", "在册", "active"], Employer.Status.ACTIVE
    ),
    **dict.fromkeys(
        ["注销", "吊销", "已注销", "已吊销", "迁出", "歇业", "停业", "deregistered"],
        Employer.Status.DEREGISTERED,
    ),
}
for _kind, _label in Employer.Kind.choices:
    KIND_ALIASES.setdefault(sheets.header_key(_label), _kind)
for _status, _label in Employer.Status.choices:
    STATUS_ALIASES.setdefault(sheets.header_key(_label), _status)

MAX_HEADCOUNT = 10_000_000
_MAX_LENGTHS = {
    f.name: f.max_length
    for f in Employer._meta.get_fields()
    if getattr(f, "max_length", None) and f.name in ROSTER_COLUMNS
}


def kind_for(raw: object) -> str | None:
    """The Employer.Kind for 企业 / 个体工商户 / 人力资源服务机构 / 职业技能培训机构 and their
    usual variants; None when unknown."""
    return KIND_ALIASES.get(sheets.header_key(raw))


def status_for(raw: object) -> str | None:
    return STATUS_ALIASES.get(sheets.header_key(raw))


def default_kind(credit_code: str) -> str:
    """The kind to assume when the file does not say: codes registered as 个体工商户 start
    with 92 (GB 32100-2015 registration authority 9, category 2)."""
    return Employer.Kind.INDIVIDUAL if credit_code.startswith("92") else Employer.Kind.ENTERPRISE


# A code already written as it is stored: 18 characters of the code's own alphabet.
_PLAIN_CODE = re.compile(f"[{re.escape(CHARSET)}]{{18}}")
_CODE_VALUES = {character: value for value, character in enumerate(CHARSET)}


def _is_plain_valid_code(text: str) -> bool:
    """Whether ``text`` needs no normalising and has the right check character (GB 32100-2015,
    as in ``credit_code.check_character``, without its per-character Python loop)."""
    if not _PLAIN_CODE.fullmatch(text):
        return False
    total = sum(map(mul, map(_CODE_VALUES.__getitem__, text[:17]), WEIGHTS))
    return CHARSET[(31 - total % 31) % 31] == text[17]


def clean_credit_code(raw: object) -> str:
    """The normalised, valid credit code; CellError (with the reason) otherwise."""
    if raw.__class__ is str and _is_plain_valid_code(raw):
        return raw  # what the full path below would return, at a fraction of the cost
    code = normalise_credit_code(sheets.parse_code_text(raw))
    error = credit_code_error(code)
    if error:
        raise sheets.CellError(error)
    return code


def _text(name: str) -> Callable[[Any], str]:
    limit = _MAX_LENGTHS.get(name)

    def clean(raw: Any) -> str:
        text = sheets.clean_text(raw)
        if limit and len(text) > limit:
            raise sheets.CellError(
                _("Too long: %(count)d characters, at most %(limit)d.")
                % {"count": len(text), "limit": limit}
            )
        return text

    return clean


def _kind(raw: Any) -> str:
    kind = kind_for(raw)
    if kind is None:
        raise sheets.CellError(
            _(
                "Unknown kind “%(value)s”: write 企业, 个体工商户, 职业介绍机构 "
                "(人力资源服务机构) or 职业技能培训机构."
            )
            % {"value": sheets.clean_text(raw)}
        )
    return kind


def _unit(raw: Any) -> str:
    code = unit_code_for(raw)
    if code is None:
        raise sheets.CellError(
            _("“%(value)s” is not a street, town or the development zone of Xiqing District.")
            % {"value": sheets.clean_text(raw)}
        )
    return code


def _status(raw: Any) -> str:
    status = status_for(raw)
    if status is None:
        raise sheets.CellError(
            _("Unknown status “%(value)s”: write 在业 or 注销.") % {"value": sheets.clean_text(raw)}
        )
    return status


def _headcount(raw: Any) -> int | None:
    number = sheets.parse_int(raw, minimum=0)
    if number is not None and number > MAX_HEADCOUNT:
        raise sheets.CellError(_("%(value)d is not a plausible headcount.") % {"value": number})
    return number


def _phone(raw: Any) -> str:
    limit = _MAX_LENGTHS["contact_phone"]
    if raw.__class__ is str and raw.isdigit() and raw.isascii() and len(raw) <= limit:
        return raw  # 13812345678 as text: what parse_phone would return
    phone = sheets.parse_phone(raw)
    if len(phone) > limit:
        raise sheets.CellError(
            _("Too long: %(count)d characters, at most %(limit)d.")
            % {"count": len(phone), "limit": limit}
        )
    return phone


# Field -> cleaner of one raw cell. ``unit`` yields the unit's NBS code (the service maps it to
# the row id); every other cleaner yields the model value.
CLEANERS: dict[str, Callable[[Any], Any]] = {
    "credit_code": clean_credit_code,
    "name": _text("name"),
    "kind": _kind,
    "unit": _unit,
    "legal_representative": _text("legal_representative"),
    "contact_person": _text("contact_person"),
    "contact_phone": _phone,
    "headcount": _headcount,
    "industry": _text("industry"),
    "address": _text("address"),
    "established_on": sheets.parse_date,
    "status": _status,
    "verified_on": sheets.parse_date,
}


def clean_field(name: str, raw: Any) -> Any:
    """One field cleaned as the import cleans it; CellError with the reason otherwise."""
    return CLEANERS[name](raw)


# Fields whose cells repeat a lot in a roster (a handful of kinds, units and statuses; the
# same industries, dates, headcounts and people): an import remembers its answer per value.
MEMOISED_FIELDS = frozenset(
    {
        "kind",
        "unit",
        "status",
        "industry",
        "legal_representative",
        "contact_person",
        "headcount",
        "established_on",
        "verified_on",
    }
)
# Values remembered per field and import: bounds the memory a file of distinct values takes.
MEMO_LIMIT = 10_000
_MISSING = object()


@dataclass(frozen=True, slots=True)
class _Refused:
    reason: str


def memoised(cleaner: Callable[[Any], Any], limit: int = MEMO_LIMIT) -> Callable[[Any], Any]:
    """``cleaner`` remembering its answer (value or CellError reason) for up to ``limit``
    distinct cells. Keyed by type and value, so 1, 1.0 and True stay apart. Made per import:
    the reasons are in the importing user's language."""
    cache: dict[Any, Any] = {}

    def clean(raw: Any) -> Any:
        key = raw if raw.__class__ is str else (raw.__class__, raw)
        try:
            known = cache.get(key, _MISSING)
        except TypeError:  # an unhashable cell: never from the readers, but stay safe
            return cleaner(raw)
        if known is _MISSING:
            try:
                known = cleaner(raw)
            except sheets.CellError as exc:
                if len(cache) < limit:
                    cache[key] = _Refused(str(exc))
                raise
            if len(cache) < limit:
                cache[key] = known
            return known
        if known.__class__ is _Refused:
            raise sheets.CellError(known.reason)
        return known

    return clean


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why a row was rejected: the row number Excel shows, the column title, the value."""

    row: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


@dataclass(slots=True)
class RosterRecord:
    """A valid row: the cleaned values of the fields this file provides and fills in.

    A blank cell is left out, so importing a file never erases what the registry knows; ``unit``
    holds the unit's NBS code."""

    number: int
    credit_code: str
    values: dict[str, Any]
    row: sheets.Row = field(repr=False)

    def fingerprint(self) -> tuple:
        return tuple(sorted(self.values.items()))


def _columns_of(
    header: sheets.Header, *, memo: bool = False
) -> list[tuple[str, int, str, Callable[[Any], Any], bool]]:
    """(field, column index, column title, cleaner, required) for the fields this file has;
    worked out once per file rather than once per row. With ``memo`` the cleaners of the
    ``MEMOISED_FIELDS`` remember their answers (for one import)."""
    return [
        (
            name,
            header.columns[name],
            header.title_of(name),
            memoised(cleaner) if memo and name in MEMOISED_FIELDS else cleaner,
            name in REQUIRED_FIELDS,
        )
        for name, cleaner in CLEANERS.items()
        if name in header.columns
    ]


def clean_row(
    row: sheets.Row, columns: list[tuple[str, int, str, Callable[[Any], Any], bool]] | None = None
) -> RosterRecord | list[RowProblem]:
    """The record of one spreadsheet row, or every problem it has."""
    values: dict[str, Any] = {}
    problems: list[RowProblem] = []
    cells = row.cells
    width = len(cells)
    for name, index, title, cleaner, required in columns or _columns_of(row.header):
        raw = cells[index] if index < width else None
        if raw is None or (isinstance(raw, str) and (not raw or raw.isspace())):
            if required:
                problems.append(
                    RowProblem(row.number, title, "", _("This required cell is empty."))
                )
            continue
        try:
            value = cleaner(raw)
        except sheets.CellError as exc:
            problems.append(RowProblem(row.number, title, sheets.clean_text(raw), str(exc)))
            continue
        if value is None or (isinstance(value, str) and not value):
            if required:
                problems.append(
                    RowProblem(
                        row.number,
                        title,
                        sheets.clean_text(raw),
                        _("This required cell is empty."),
                    )
                )
            continue
        values[name] = value
    if problems:
        return problems
    return RosterRecord(row.number, values.pop("credit_code"), values, row)


@dataclass(slots=True)
class _Seen:
    number: int
    fingerprint: int


def records_of(
    rows: Iterable[sheets.Row],
    on_problems: Callable[[sheets.Row, list[RowProblem]], None],
    on_duplicate: Callable[[RosterRecord], None] | None = None,
) -> Iterator[RosterRecord]:
    """Valid records, each credit code once.

    A later row with a code already seen is dropped when it says the same thing (counted by
    ``on_duplicate``), and rejected naming the earlier row when it differs. Memory: one small
    entry per distinct code."""
    seen: dict[str, _Seen] = {}
    columns = None
    for row in rows:
        if columns is None:
            columns = _columns_of(row.header, memo=True)
        result = clean_row(row, columns)
        if isinstance(result, list):
            on_problems(row, result)
            continue
        # The values are in the file's column order, the same for every row of this file: no
        # need to sort them (as ``fingerprint`` does) to compare two rows.
        fingerprint = hash(tuple(result.values.items()))
        earlier = seen.get(result.credit_code)
        if earlier is None:
            seen[result.credit_code] = _Seen(result.number, fingerprint)
            yield result
        elif earlier.fingerprint == fingerprint:
            if on_duplicate is not None:
                on_duplicate(result)
        else:
            title = row.header.title_of("credit_code")
            on_problems(
                row,
                [
                    RowProblem(
                        row.number,
                        title,
                        result.credit_code,
                        _(
                            "The same credit code is already on row %(row)d with different "
                            "details: keep one row per employer."
                        )
                        % {"row": earlier.number},
                    )
                ],
            )


def compared_columns(header: sheets.Header) -> list[str]:
    """The Employer columns a file with this header can change (``unit_id`` for the unit)."""
    return [
        "unit_id" if name == "unit" else name
        for name in CLEANERS
        if name != "credit_code" and name in header.columns
    ]


def changes_for(
    current: Mapping[str, Any] | Sequence[Any],
    values: Mapping[str, Any],
    unit_ids: Mapping[str, int],
    positions: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """Model field -> new value, for the fields where the record differs from the employer's
    current values: a mapping with ``unit_id`` and the compared fields or, with
    ``positions`` (field -> index), a row as the database returned it."""
    if positions is None:
        positions = _SAME_NAME
    changed: dict[str, Any] = {}
    for name, value in values.items():
        if name == "unit":
            unit_id = unit_ids[value]
            if current[positions["unit_id"]] != unit_id:
                changed["unit_id"] = unit_id
        elif current[positions[name]] != value:
            changed[name] = value
    return changed


class _SameName(dict):
    """field -> field: ``changes_for`` on a mapping keyed by field name."""

    def __missing__(self, key: str) -> str:
        return key


_SAME_NAME = _SameName()


def new_employer(record: RosterRecord, unit_ids: Mapping[str, int]) -> Employer:
    values = dict(record.values)
    unit_code = values.pop("unit")
    values.setdefault("kind", default_kind(record.credit_code))
    return Employer(credit_code=record.credit_code, unit_id=unit_ids[unit_code], **values)


def problems_text(problems: Iterable[RowProblem]) -> str:
    """One line for the error column of the report: 列名：原因；列名：原因."""
    return _("; ").join(
        _("%(column)s: %(reason)s") % {"column": p.column, "reason": p.reason} for p in problems
    )
