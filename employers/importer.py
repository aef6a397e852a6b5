"""The roster importer (用人单位花名册): the roster's columns and rules (``roster``) run by the
one import pipeline (``imports.pipeline``), written by ``roster_write``.

Each chunk of valid rows is looked up with one SELECT of the compared columns; new employers
are created, changed ones updated (history attributed to the importing user), the rest left
alone. After the commit ``employers_imported`` is sent with the ids."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import spreadsheets as sheets
from imports.base import Importer, Plan, Record, columns_of
from imports.pipeline import file_import

from . import roster, roster_write
from .models import Employer, Unit
from .signals import employers_imported

_REASON_LENGTH = Employer.history.model._meta.get_field("history_change_reason").max_length


def _existing_rows(codes: list[str], columns: list[str]) -> Iterable[Sequence[Any]]:
    """(id, credit_code, *columns) of the employers with these codes, in one SELECT.

    On PostgreSQL the statement is sent as it is (the driver returns the values the model
    would: no conversion is needed), which saves the ORM's per-row work on every chunk;
    elsewhere (SQLite stores dates as text) the ORM converts them."""
    if connection.vendor != "postgresql":
        return Employer.objects.filter(credit_code__in=codes).values_list(
            "id", "credit_code", *columns
        )
    q = connection.ops.quote_name
    meta = Employer._meta
    selected = ", ".join(q(meta.get_field(name).column) for name in ["id", "credit_code", *columns])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {selected} FROM {q(meta.db_table)} WHERE {q('credit_code')} = ANY(%s)",
            [codes],
        )
        return cursor.fetchall()


@dataclass
class _Context:
    unit_ids: dict[str, int]
    columns: list[str]
    positions: dict[str, int]
    writer: roster_write.BulkWriter | None


class RosterImporter(Importer):
    key = "roster"
    title = gettext_lazy("Employer roster")
    upload_label = gettext_lazy("Roster file")
    upload_help = gettext_lazy(
        ".xlsx, .xls or .csv (UTF-8 or GB18030), as the street or town sent it."
    )
    help_template = "employers/import_help.html"
    key_field = "credit_code"
    # A roster without a unit column is still read: each row is rejected naming the column,
    # unless the admin takes the unit the file is named after (``offered_values``).
    header_requires = ("name", "credit_code")
    sparse = True
    chunk_size = roster_write.CHUNK_SIZE
    urls = {
        "list": "employers:import_list",
        "upload": "employers:import_roster",
        "detail": "employers:import_detail",
        "confirm": "employers:import_confirm",
        "report": "employers:import_report",
    }
    columns = columns_of(
        roster.CLEANERS,
        roster.FIELD_LABELS,
        roster.ROSTER_COLUMNS,
        required=roster.REQUIRED_FIELDS,
        memo=roster.MEMOISED_FIELDS,
    )

    def change_reason(self, name: str, batch: Any | None) -> str:
        reason = _("Roster import %(name)s") % {"name": name}
        if batch is not None:
            reason = _("Roster import #%(id)d (%(name)s)") % {"id": batch.pk, "name": name}
        # A long file name must not fail the import on the history's change-reason column.
        return reason[:_REASON_LENGTH]

    def conflict_message(self) -> str:
        return _(
            "The import was not saved: another change to the same employers happened at "
            "the same time. Nothing was written; please import the file again."
        )

    def offered_values(self, file_name: str) -> dict[str, str]:
        """The unit a file is named after (李七庄街_用人单位花名册.xlsx): its first part,
        read with the roster's unit spellings."""
        return roster.unit_from_file_name(file_name)

    def repeat_message(self, key: str, earlier_row: int) -> str:
        return _(
            "The same credit code is already on row %(row)d with different "
            "details: keep one row per employer."
        ) % {"row": earlier_row}

    def start(
        self, header: sheets.Header, *, write: bool, user: AbstractBaseUser | None, reason: str
    ) -> _Context:
        columns = roster.compared_columns(header)
        return _Context(
            unit_ids=dict(Unit.objects.values_list("code", "id")),
            columns=columns,
            positions={name: index for index, name in enumerate(columns, start=2)},
            writer=roster_write.writer_for(user=user, reason=reason) if write else None,
        )

    def plan(self, records: list[Record], context: _Context) -> Plan:
        """Classify one chunk against the database with one SELECT of the compared columns."""
        if context.writer is not None:
            context.writer.wait()  # the connection is free again (the last COPY has ended)
        codes = [r.key for r in records]
        existing = {row[1]: row for row in _existing_rows(codes, context.columns)}
        changes_for = roster.changes_for
        unit_ids, positions = context.unit_ids, context.positions
        plan = Plan()
        for record in records:
            current = existing.get(record.key)
            if current is None:
                plan.create.append(record)
                continue
            changes = changes_for(current, record.values, unit_ids, positions)
            if changes:
                plan.changed(record, current[0], changes)
            else:
                plan.unchanged += 1
        return plan

    def write(self, plan: Plan, context: _Context) -> list[int]:
        writer = context.writer
        assert writer is not None
        ids: list[int] = []
        if plan.create:
            ids.extend(writer.create(plan.create, context.unit_ids))
        if plan.change:
            writer.change(plan.change)
            ids.extend(plan.change)
        return ids

    def finish(self, context: _Context) -> None:
        if context.writer is not None:
            context.writer.finish()

    def close(self, context: _Context | None) -> None:
        if context is not None and context.writer is not None:
            context.writer.close()

    def committed(self, ids: list[int], batch: Any | None) -> None:
        employers_imported.send(sender=Employer, employer_ids=ids, import_batch=batch)


# Import an employer roster (.xlsx, .xls, .csv) with the roster importer.
roster_import = file_import(RosterImporter)
