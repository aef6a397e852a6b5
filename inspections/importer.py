"""The case-ledger importer (案件台账): the ledger's columns and rules (``case_ledger``) run by
the one import pipeline (``imports.pipeline``).

Rows are matched to existing cases by case number and to employers by credit code, one query
each per chunk. Created cases are written with COPY on PostgreSQL (``core.bulk``), elsewhere
with Django's bulk operations; history rows carry the importing user. After the commit
``cases_changed_in_bulk`` is sent so the ratings of the employers concerned are recomputed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core import bulk
from core import spreadsheets as sheets
from employers.models import Employer
from imports.base import Importer, Plan, Record, RowError, columns_of
from imports.pipeline import file_import

from . import case_ledger as ledger
from .models import Case
from .signals import cases_changed_in_bulk

_DATES = ("decided_on", "order_deadline", "order_rectified_on", "decision_deadline")
_DATES += ("decision_fulfilled_on", "closed_on")
_FLAGS = ("order_issued", "decision_issued", "penalty_issued", "mass_incident", "serious")
_FLAGS += ("criminal", "withdrawn")
_TEXTS = ("decision_number", "penalty_number", "serious_reason", "facts")
# Free text a blank cell leaves alone on an existing case.
_KEEP_WHEN_BLANK = ("decision_number", "penalty_number", "facts", "violation_items")
_CLEANERS: dict[str, Any] = {
    "number": ledger.clean_number,
    "credit_code": ledger.clean_credit_code,
    "source": ledger.clean_source,
    **dict.fromkeys(_DATES, sheets.parse_date),
    # After the other dates, as the ledger has always reported a row's first problem.
    "opened_on": ledger.clean_opened_on,
    **dict.fromkeys(_FLAGS, sheets.parse_bool),
    "penalty_amount": ledger._amount,
    **dict.fromkeys(_TEXTS, sheets.clean_text),
    "violation_items": ledger._items,
    "name": None,  # helps find the header; the registry's name is the one kept
}


@dataclass
class _Context:
    user: AbstractBaseUser | None
    reason: str
    now: Any
    copy: bool


def _serious_reason(values: dict[str, Any], current: str = "") -> str:
    if not values["serious"]:
        return ""
    return values["serious_reason"] or current or _("Recorded as serious in the case ledger.")


def _new_case(record: Record) -> Case:
    values = {name: record.values[name] for name in ledger.CASE_FIELDS}
    values["serious_reason"] = _serious_reason(record.values)
    return Case(number=record.key, **values)


def _apply(case: Case, record: Record) -> bool:
    """Set the row's values on an existing case; True when anything changed. Columns the
    file does not have, and empty free-text cells, leave the case's own value alone."""
    changed = False
    header_columns = record.row.header.columns
    for name in ledger.CASE_FIELDS:
        if name == "employer_id":
            continue
        if name in ledger.COLUMNS and name not in header_columns and name != "serious_reason":
            continue
        value = record.values[name]
        if name == "serious_reason":
            value = _serious_reason(record.values, case.serious_reason)
        elif name in _KEEP_WHEN_BLANK and not value:
            continue
        if getattr(case, name) != value:
            setattr(case, name, value)
            changed = True
    if changed and not case.serious:
        case.serious_judged_by = None
    return changed


class CaseLedgerImporter(Importer):
    key = "cases"
    title = gettext_lazy("Case ledger")
    upload_label = gettext_lazy("Case ledger (.xlsx, .xls or .csv)")
    help_template = "inspections/case_import_help.html"
    key_field = "number"
    key_fields = {"number", "credit_code"}
    header_requires = tuple(sorted(ledger.REQUIRED))
    sparse = False
    first_error_only = True
    repeats_are_unchanged = True
    chunk_size = 1000
    urls = {
        "list": "employers:import_list",
        "upload": "inspections:case_import",
        "detail": "inspections:case_import_preview",
        "confirm": "inspections:case_import_preview",
        "report": "inspections:case_import_report",
    }
    columns = columns_of(
        _CLEANERS, ledger.LABELS, ledger.COLUMNS, absent={"source": ledger.Case.Source.SPECIAL}
    )

    def refusal(self) -> str:
        return _("Only administrators import case ledgers.")

    def change_reason(self, name: str, batch: Any | None) -> str:
        return (_("Case ledger import %(file)s") % {"file": name})[:100]

    def conflict_message(self) -> str:
        return _(
            "The import was not saved: some of these cases were changed at the same time. "
            "Nothing was written; please import the file again."
        )

    def check(self, values: dict[str, Any], title: Any) -> Any:
        return ledger.check_consistency(values, title)

    def fingerprint(self, values: dict[str, Any]) -> int:
        return hash(tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in values.items()))

    def repeat_message(self, key: str, earlier_row: int) -> str:
        return _("Case number %(number)s is already on row %(row)d with different data.") % {
            "number": key,
            "row": earlier_row,
        }

    def error_text(self, errors: Any) -> str:
        return "; ".join(f"{e.column}: {e.reason}" for e in errors)

    def start(
        self, header: sheets.Header, *, write: bool, user: AbstractBaseUser | None, reason: str
    ) -> _Context:
        return _Context(user, reason, timezone.now(), write and bulk.copy_supported(connection))

    def existing_cases(self, numbers: list[str]) -> dict[str, Case]:
        return {c.number: c for c in Case.objects.filter(number__in=numbers)}

    def plan(self, records: list[Record], context: _Context) -> Plan:
        codes = {r.values["credit_code"] for r in records}
        employers = dict(
            Employer.objects.filter(credit_code__in=codes).values_list("credit_code", "id")
        )
        existing = self.existing_cases([r.key for r in records])
        plan = Plan()
        for record in records:
            row, values = record.row, record.values
            employer_id = employers.get(values["credit_code"])
            if employer_id is None:
                reason = _(
                    "No employer with credit code %(code)s in the registry: import the unit's "
                    "roster (or add the employer) first."
                ) % {"code": values["credit_code"]}
                title = row.header.title_of("credit_code")
                plan.rejected.append(
                    (row, [RowError(row.number, title, values["credit_code"], reason)])
                )
                continue
            values["employer_id"] = employer_id
            case = existing.get(record.key)
            if case is None:
                plan.create.append(record)
            elif case.employer_id != employer_id:
                reason = _(
                    "Case number %(number)s already belongs to another employer in the system."
                ) % {"number": record.key}
                title = row.header.title_of("number")
                plan.rejected.append((row, [RowError(row.number, title, record.key, reason)]))
            elif _apply(case, record):
                case.updated_at = context.now  # bulk_update skips auto_now
                plan.changed(record, case.pk, case)
            else:
                plan.unchanged += 1
        return plan

    def write(self, plan: Plan, context: _Context) -> list[int]:
        reason = context.reason
        created = [_new_case(record) for record in plan.create]
        if created and context.copy:
            bulk.copy_objects(connection, created)
            Case.history.bulk_history_create(
                created, default_user=context.user, default_change_reason=reason
            )
        elif created:
            bulk_create_with_history(
                created,
                Case,
                batch_size=500,
                default_user=context.user,
                default_change_reason=reason,
            )
        updated = list(plan.change.values())
        if updated:
            bulk_update_with_history(
                updated,
                Case,
                fields=[f for f in ledger.CASE_FIELDS if f != "employer_id"]
                + ["serious_judged_by", "updated_at"],
                batch_size=500,
                default_user=context.user,
                default_change_reason=reason,
            )
        return [case.employer_id for case in (*created, *updated)]

    def committed(self, ids: list[int], batch: Any | None) -> None:
        cases_changed_in_bulk.send(sender=Case, employer_ids=sorted(set(ids)))


# Read a ledger and, unless ``dry_run``, write it in one transaction.
case_ledger_import = file_import(CaseLedgerImporter)
