"""Patrols, written reviews and cases as .xlsx, each declared as its list of columns."""

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from core.exports import YES_NO, ExportColumn, SheetExport
from employers.exports import IDENTITY_TITLES_ZH, identity_columns

from .items import Item
from .models import Case, Patrol, PatrolCheck, WrittenReview

_ITEM_LABELS = dict(Item.choices)
_RESULTS = dict(PatrolCheck.Result.choices)


def _items(attribute: str) -> Callable[[object], str]:
    return lambda row: "、".join(str(_ITEM_LABELS.get(i, i)) for i in getattr(row, attribute))


def _check_cell(item: Item) -> Callable[[Patrol], str]:
    """One checklist item of a patrol: its result, with the note when a problem was found."""

    def read(patrol: Patrol) -> str:
        line = next((c for c in patrol.checks.all() if c.item == item.value), None)
        if line is None:
            return ""
        if line.result == PatrolCheck.Result.PROBLEM:
            return f"{_RESULTS[line.result]}：{line.note}"
        return str(_RESULTS[line.result])

    return read


def _inspector_names(patrol: Patrol) -> str:
    return "、".join(u.get_full_name() or u.username for u in patrol.inspectors.all())


class PatrolExport(SheetExport):
    filename = "patrols"
    sheet_title = _("Patrols")
    chunk_size = 1000  # each chunk prefetches its checklist lines and inspectors
    columns = [
        ExportColumn(_("Patrol date"), "patrolled_on"),
        *identity_columns(),
        ExportColumn(_("Inspectors"), _inspector_names),
        ExportColumn(_("Person met on site"), "person_met"),
        ExportColumn(_("Headcount seen"), "headcount_seen"),
        *[ExportColumn(item.label, _check_cell(item)) for item in Item],
        ExportColumn(_("Findings"), "findings"),
        ExportColumn(_("Outcome"), "outcome", labels=Patrol.Outcome.choices),
    ]


class WrittenReviewExport(SheetExport):
    filename = "written-reviews"
    sheet_title = _("Written reviews")
    columns = [
        ExportColumn(_("Year"), "year"),
        *identity_columns(),
        ExportColumn(_("Received on"), "received_on"),
        ExportColumn(_("Materials submitted"), _items("materials")),
        ExportColumn(_("Complete"), "complete", labels=YES_NO),
        ExportColumn(_("Status"), "status", labels=WrittenReview.Status.choices),
        ExportColumn(_("Returned on"), "returned_on"),
        ExportColumn(_("Reason for returning"), "returned_reason"),
        ExportColumn(_("Resubmission deadline"), "resubmit_deadline"),
        ExportColumn(_("Resubmitted on"), "resubmitted_on"),
        ExportColumn(_("Concluded on"), "concluded_on"),
        ExportColumn(_("Conclusion"), "conclusion"),
        ExportColumn(_("Disagrees with registry"), lambda r: "、".join(r.registry_mismatches)),
    ]


class CaseExport(SheetExport):
    """The case ledger. The first columns are those of the ledger import (SPEC 7), in Chinese
    whatever the language, so an exported file can be edited and imported again."""

    filename = "cases"
    sheet_title = "案件台账"
    columns = [
        ExportColumn("案件编号", "number"),
        *identity_columns(IDENTITY_TITLES_ZH),
        ExportColumn("案件来源", "source", labels=Case.Source.choices),
        ExportColumn("立案日期", "opened_on"),
        ExportColumn("决定日期", "decided_on"),
        ExportColumn("违法事项", _items("violation_items")),
        ExportColumn("责令改正", "order_issued", labels=YES_NO),
        ExportColumn("整改期限", "order_deadline"),
        ExportColumn("整改完成日期", "order_rectified_on"),
        ExportColumn("行政处理决定", "decision_issued", labels=YES_NO),
        ExportColumn("处理决定书文号", "decision_number"),
        ExportColumn("履行期限", "decision_deadline"),
        ExportColumn("履行完毕日期", "decision_fulfilled_on"),
        ExportColumn("行政处罚", "penalty_issued", labels=YES_NO),
        ExportColumn("处罚决定书文号", "penalty_number"),
        ExportColumn("罚款金额", "penalty_amount"),
        ExportColumn("群体性事件", "mass_incident", labels=YES_NO),
        ExportColumn("情节严重", "serious", labels=YES_NO),
        ExportColumn("情节严重认定理由", "serious_reason"),
        ExportColumn("追究刑事责任", "criminal", labels=YES_NO),
        ExportColumn("撤销立案", "withdrawn", labels=YES_NO),
        ExportColumn("结案日期", "closed_on"),
        ExportColumn("状态", "status", labels=Case.Status.choices),
    ]
