"""What an importer is made of: columns that clean one cell each, a row error, a plan.

After pretix's import framework: an importer is a list of columns; each column has an
``identifier`` (the field), a ``verbose_name``, the header titles that mean it and ``clean``,
which turns one raw cell into a value or raises ``CellError`` with the reason. Rules that span
several cells of a row go in ``Importer.check``. ``imports.pipeline`` reads the file, cleans
each row with the columns, and hands chunks of valid records to the importer to look up, plan
and write.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from core import spreadsheets as sheets
from core.roles import is_admin

_UNSET: Any = object()


class ImportFailed(Exception):
    """The import could not be written; nothing was. ``str(exc)`` is for the user.

    (A file that cannot be used at all raises ``core.spreadsheets.SpreadsheetError``, before
    anything is read, for every importer.)"""


@dataclass(frozen=True, slots=True)
class RowError:
    """Why a row was rejected: the row number Excel shows, the column title, the value, the
    reason in the user's language."""

    row: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}

    def __str__(self) -> str:
        return _("Row %(row)d, %(column)s: %(reason)s") % {
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Column:
    """One column an importer understands.

    ``clean(raw)`` gets the raw cell and returns the value, or raises ``CellError``.
    ``required``: a blank cell rejects the row (sparse importers). ``memo``: the cells repeat a
    lot (kinds, units, dates), so the answers are remembered per import. ``absent``: the value
    when the file has no such column (dense importers; by default ``clean("")``). A column
    with no ``clean`` only helps find the header row; its cells are not read."""

    identifier: str
    verbose_name: Any
    aliases: Sequence[str]
    clean: Callable[[Any], Any] | None
    required: bool = False
    memo: bool = False
    absent: Any = _UNSET


def columns_of(
    cleaners: Mapping[str, Callable[[Any], Any]],
    labels: Mapping[str, Any],
    aliases: Mapping[str, Sequence[str]],
    *,
    required: Collection[str] = (),
    memo: Collection[str] = (),
    absent: Mapping[str, Any] | None = None,
) -> tuple[Column, ...]:
    """The columns of the fields ``cleaners`` names, in its order: each with its label, the
    header titles that mean it and its cleaner; ``required``, ``memo`` and ``absent`` say which
    fields are required or memoised and what an absent one is."""
    absent = absent or {}
    return tuple(
        Column(
            identifier=name,
            verbose_name=labels[name],
            aliases=aliases[name],
            clean=clean,
            required=name in required,
            memo=name in memo,
            absent=absent.get(name, _UNSET),
        )
        for name, clean in cleaners.items()
    )


@dataclass(slots=True)
class Record:
    """A valid row: its key (what identifies the object), its cleaned values, and the row
    (kept only while its chunk is planned, for the report)."""

    number: int
    key: str
    values: dict[str, Any]
    row: sheets.Row = field(repr=False)


@dataclass
class Plan:
    """What one chunk does: records to create, existing objects to change (id -> what the
    importer needs to write them), rows left alone, rows rejected by the lookup."""

    create: list[Record] = field(default_factory=list)
    change: dict[int, Any] = field(default_factory=dict)
    changed_keys: list[str] = field(default_factory=list)
    unchanged: int = 0
    rejected: list[tuple[sheets.Row, list[RowError]]] = field(default_factory=list)

    def changed(self, record: Record, pk: int, change: Any) -> None:
        """The row of ``record`` changes the existing object ``pk``."""
        self.change[pk] = change
        self.changed_keys.append(record.key)


class Importer:
    """An import: subclass, declare the columns and implement ``start``, ``plan`` and
    ``write``; register it in ``imports.registry``."""

    key: ClassVar[str]  # the ImportBatch.Kind
    title: ClassVar[Any]
    upload_label: ClassVar[Any]
    upload_help: ClassVar[Any] = ""
    help_template: ClassVar[str] = ""
    columns: ClassVar[Sequence[Column]]
    # The field whose value identifies a row's object (credit code, case number).
    key_field: ClassVar[str]
    # Header columns looked for first when finding the header row (see open_table).
    key_fields: ClassVar[set[str] | None] = None
    # Sparse: blank cells and absent columns are left out of the values (an import never
    # erases what is known). Dense: every column gives a value (``clean("")`` when blank).
    sparse: ClassVar[bool] = True
    first_error_only: ClassVar[bool] = False
    # A later row repeating an earlier one with the same values: counted as a duplicate, or
    # as unchanged.
    repeats_are_unchanged: ClassVar[bool] = False
    chunk_size: ClassVar[int] = 2000
    # URL names: list, upload, detail, confirm (POST), report.
    urls: ClassVar[dict[str, str]]

    # -- who and what ------------------------------------------------------------------------

    def may_use(self, user: AbstractBaseUser) -> bool:
        return is_admin(user)

    def refusal(self) -> str:
        """Why someone with a role but not this one is turned away (403)."""
        return ""

    # Columns the header must have; by default the required ones.
    header_requires: ClassVar[Sequence[str]] = ()

    @property
    def required_header(self) -> list[str]:
        return list(self.header_requires) or [c.identifier for c in self.columns if c.required]

    def aliases(self) -> dict[str, list[str]]:
        return {c.identifier: list(c.aliases) for c in self.columns}

    def labels(self) -> dict[str, str]:
        return {c.identifier: str(c.verbose_name) for c in self.columns}

    def change_reason(self, name: str, batch: Any | None) -> str:
        raise NotImplementedError

    def conflict_message(self) -> str:
        return _(
            "The import was not saved: another change to the same records happened at the same "
            "time. Nothing was written; please import the file again."
        )

    # -- rows --------------------------------------------------------------------------------

    def offered_values(self, file_name: str) -> dict[str, str]:
        """Raw cells the file's name offers for columns a file may lack (the roster's unit
        from ``李七庄街_花名册.xlsx``); used for every row only when the admin agrees."""
        return {}

    def check(
        self, values: dict[str, Any], title: Callable[[str], str]
    ) -> Iterable[tuple[str, str]]:
        """Rules spanning several cells (``previous_values`` in pretix's terms): (field,
        reason) for each broken one. ``title`` names a field's column as the file does."""
        return ()

    def fingerprint(self, values: dict[str, Any]) -> int:
        return hash(tuple(values.items()))

    def repeat_message(self, key: str, earlier_row: int) -> str:
        raise NotImplementedError

    def error_text(self, errors: Sequence[RowError]) -> str:
        """The error column of the report for one rejected row."""
        return _("; ").join(
            _("%(column)s: %(reason)s") % {"column": e.column, "reason": e.reason} for e in errors
        )

    # -- the database ------------------------------------------------------------------------

    def start(
        self, header: sheets.Header, *, write: bool, user: AbstractBaseUser | None, reason: str
    ) -> Any:
        """Whatever ``plan`` and ``write`` need for this file (lookups, a writer)."""
        return None

    def plan(self, records: list[Record], context: Any) -> Plan:
        raise NotImplementedError

    def write(self, plan: Plan, context: Any) -> list[int]:
        """Write one chunk's plan; the ids to send with the signal after the commit."""
        raise NotImplementedError

    def finish(self, context: Any) -> None:
        """Everything planned has been handed to ``write``: write what is left."""

    def close(self, context: Any) -> None:
        """Release what ``start`` took, after success or failure."""

    def committed(self, ids: list[int], batch: Any | None) -> None:
        """After the commit: tell the apps above (a signal)."""
