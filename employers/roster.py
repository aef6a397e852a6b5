"""The employer roster (用人单位花名册): which columns it may have, and what one row means.

Pure rules, no database: a spreadsheet row becomes a ``RosterRecord`` (the cleaned values of the
fields the file provides) or row errors saying, in the user's language, which column of which
row is wrong and why. ``employers.importer`` declares these rules as the columns of the roster
importer, which ``imports.pipeline`` runs.

The employer form uses the same cleaners (``clean_credit_code``, ``clean_field``), so a value
typed in the browser and a value imported from a file are held to the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from operator import mul
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import spreadsheets as sheets

from .credit_code import CHARSET, WEIGHTS, credit_code_error, normalise_credit_code
from .models import Employer
from .units import XIQING_UNITS, unit_code_for

UNIT_NAMES = {code: name for code, name, _kind in XIQING_UNITS}

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


def _known(lookup: Callable[[Any], str | None], message: Any) -> Callable[[Any], str]:
    """A cleaner of a cell that names one of a fixed set (``lookup`` gives None for anything
    else, and the cell error says ``message``)."""

    def clean(raw: Any) -> str:
        found = lookup(raw)
        if found is None:
            raise sheets.CellError(message % {"value": sheets.clean_text(raw)})
        return found

    return clean


_kind = _known(
    kind_for,
    gettext_lazy(
        "Unknown kind “%(value)s”: write 企业, 个体工商户, 职业介绍机构 "
        "(人力资源服务机构) or 职业技能培训机构."
    ),
)
_unit = _known(
    unit_code_for,
    gettext_lazy("“%(value)s” is not a street, town or the development zone of Xiqing District."),
)
_status = _known(status_for, gettext_lazy("Unknown status “%(value)s”: write 在业 or 注销."))


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


def unit_from_file_name(file_name: str) -> dict[str, str]:
    """``{"unit": official name}`` when the file's name starts with a unit's name
    (李七庄街_花名册.xlsx, 精武镇-2026.csv), else ``{}``."""
    stem = Path(file_name).stem
    first = re.split(r"[_\-－—\s（(·.]", stem, maxsplit=1)[0]
    code = unit_code_for(first)
    if code is None:
        return {}
    return {"unit": UNIT_NAMES[code]}


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


def new_employer(
    credit_code: str, values: Mapping[str, Any], unit_ids: Mapping[str, int]
) -> Employer:
    values = dict(values)
    unit_code = values.pop("unit")
    values.setdefault("kind", default_kind(credit_code))
    return Employer(credit_code=credit_code, unit_id=unit_ids[unit_code], **values)
