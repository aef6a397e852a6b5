"""The one import pipeline: read -> clean each row -> look up per chunk -> plan -> write.

Rows are read one at a time (``core.spreadsheets``), cleaned by the importer's columns, and
gathered in chunks; each chunk is looked up with one query, planned (created / updated /
unchanged / rejected) and, unless it is a dry run, written before the next chunk is read. Only
a chunk's rows are held at a time; rejected rows go to the report as they come. Everything is
written in one transaction: a failure anywhere writes nothing.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO

from django.contrib.auth.models import AbstractBaseUser
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from core import spreadsheets as sheets

from .base import _UNSET, Importer, ImportFailed, Plan, Record, RowError

logger = logging.getLogger(__name__)

# Rejected rows kept for the preview page; the report file holds all of them.
PREVIEW_REJECTIONS = 200
# Keys of created / updated records kept for the preview page.
PREVIEW_KEYS = 200
# Values remembered per memoised column and import: bounds the memory distinct values take.
MEMO_LIMIT = 10_000
_MISSING = object()

# Called after each chunk with (rows read, rows validated, rows written): the job stores it.
Progress = Callable[[int, int, int], None]


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    duplicates: int = 0
    header_row: int = 0
    sheet_name: str = ""
    titles: tuple[str, ...] = ()
    # Data rows read (0: the file has a header and nothing below it).
    rows_read: int = 0
    # Required columns the file lacks (their titles): every row is rejected naming them.
    missing_columns: list[str] = field(default_factory=list)
    # Values the file name offers for columns the file lacks (field -> value), and those used.
    offered: dict[str, str] = field(default_factory=dict)
    filled: dict[str, str] = field(default_factory=dict)
    rejections: list[RowError] = field(default_factory=list)
    created_keys: list[str] = field(default_factory=list)
    updated_keys: list[str] = field(default_factory=list)
    object_ids: list[int] = field(default_factory=list)
    report: sheets.RejectedRowsReport | None = None

    @property
    def summary(self) -> str:
        """The summary line of SPEC section 7."""
        return (
            f"created={self.created} updated={self.updated} "
            f"unchanged={self.unchanged} rejected={self.rejected}"
        )

    @property
    def validated(self) -> int:
        """Rows done with so far: planned, rejected or repeats."""
        return self.created + self.updated + self.unchanged + self.rejected + self.duplicates

    def details(self) -> dict[str, Any]:
        return {
            "header_row": self.header_row,
            "sheet": self.sheet_name,
            "rows_read": self.rows_read,
            "missing_columns": self.missing_columns,
            "offered": self.offered,
            "filled": self.filled,
            "duplicates": self.duplicates,
            "rejections": [p.as_dict() for p in self.rejections],
            "created_keys": self.created_keys,
            "updated_keys": self.updated_keys,
        }


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


# (field, column index or None, column title, cleaner, required, value when absent)
_Prepared = tuple[str, int | None, str, Callable[[Any], Any], bool, Any]


def prepare_columns(importer: Importer, header: sheets.Header, *, memo: bool) -> list[_Prepared]:
    """The importer's columns for this file, worked out once per file rather than per row."""
    prepared = []
    for column in importer.columns:
        if column.clean is None:  # known to the header only
            continue
        index = header.columns.get(column.identifier)
        if index is None and importer.sparse and not column.required:
            continue
        cleaner = memoised(column.clean) if memo and column.memo else column.clean
        prepared.append(
            (
                column.identifier,
                index,
                header.title_of(column.identifier),
                cleaner,
                column.required,
                column.absent,
            )
        )
    return prepared


def clean_row(
    importer: Importer, row: sheets.Row, columns: list[_Prepared]
) -> dict[str, Any] | list[RowError]:
    """The cleaned values of one row, or every problem it has (the first, for importers that
    stop there)."""
    values: dict[str, Any] = {}
    problems: list[RowError] = []
    cells = row.cells
    width = len(cells)
    sparse = importer.sparse
    for name, index, title, cleaner, required, absent in columns:
        if index is None and sparse:  # a required column the file does not have
            problems.append(
                RowError(
                    row.number,
                    title,
                    "",
                    _("The file has no “%(column)s” column: add it and upload again.")
                    % {"column": title},
                )
            )
            continue
        if index is None:  # dense importers: the file has no such column
            raw: Any = ""
            if absent is not _UNSET:
                values[name] = absent
                continue
        else:
            raw = cells[index] if index < width else None
        blank = raw is None or (raw.__class__ is str and (not raw or raw.isspace()))
        if sparse and blank:
            if required:
                problems.append(RowError(row.number, title, "", _("This required cell is empty.")))
            continue
        if raw is None:
            raw = ""
        try:
            value = cleaner(raw)
        except sheets.CellError as exc:
            problems.append(RowError(row.number, title, sheets.clean_text(raw), str(exc)))
            if importer.first_error_only:
                return problems
            continue
        if sparse and (value is None or (isinstance(value, str) and not value)):
            if required:
                problems.append(
                    RowError(
                        row.number, title, sheets.clean_text(raw), _("This required cell is empty.")
                    )
                )
            continue
        values[name] = value
    if problems:
        return problems
    for name, reason in importer.check(values, row.header.title_of):
        title = row.header.title_of(name)
        value = values.get(name)
        problems.append(RowError(row.number, title, "" if value is None else str(value), reason))
        if importer.first_error_only:
            break
    return problems or values


@dataclass(slots=True)
class _Seen:
    number: int
    fingerprint: int


class _Run:
    """One pass over a file."""

    def __init__(self, importer: Importer, result: ImportResult) -> None:
        self.importer = importer
        self.result = result
        # Rows rejected since the last chunk was planned: added to the report in row order.
        self.pending: list[tuple[sheets.Row, list[RowError]]] = []
        self.rows_read = 0

    def reject(self, row: sheets.Row, problems: list[RowError]) -> None:
        self.pending.append((row, problems))

    def flush(self, extra: list[tuple[sheets.Row, list[RowError]]] = ()) -> None:
        pending, self.pending = [*self.pending, *extra], []
        if not pending:
            return
        pending.sort(key=lambda item: item[0].number)
        result = self.result
        if result.report is None:
            result.report = sheets.RejectedRowsReport(result.titles)
        for row, problems in pending:
            result.rejected += 1
            room = PREVIEW_REJECTIONS - len(result.rejections)
            if room > 0:
                result.rejections.extend(problems[:room])
            result.report.add(row, self.importer.error_text(problems))

    def records(self, table: sheets.Table) -> Iterator[Record]:
        """Valid records, each key once. A later row with a key already seen is dropped when
        it says the same thing, and rejected naming the earlier row when it differs. Memory:
        one small entry per distinct key."""
        importer = self.importer
        key_field = importer.key_field
        seen: dict[str, _Seen] = {}
        columns = prepare_columns(importer, table.header, memo=True)
        for row in table:
            self.rows_read += 1
            values = clean_row(importer, row, columns)
            if values.__class__ is list:
                self.reject(row, values)
                continue
            key = values.pop(key_field) if importer.sparse else values[key_field]
            fingerprint = importer.fingerprint(values)
            earlier = seen.get(key)
            if earlier is None:
                seen[key] = _Seen(row.number, fingerprint)
                yield Record(row.number, key, values, row)
            elif earlier.fingerprint == fingerprint:
                if importer.repeats_are_unchanged:
                    self.result.unchanged += 1
                else:
                    self.result.duplicates += 1
            else:
                title = row.header.title_of(key_field)
                message = importer.repeat_message(key, earlier.number)
                self.reject(row, [RowError(row.number, title, key, message)])


class _FilledTable:
    """A table with columns it lacks filled with one value on every row (the unit a file is
    named after): the header gets the columns after its last one, each row the values."""

    def __init__(self, table: sheets.Table, fill: Mapping[str, str]) -> None:
        self._table = table
        self.sheet_name = table.sheet_name
        width = len(table.header.titles)
        header = table.header
        self.header = dataclasses.replace(
            header,
            titles=(*header.titles, *(header.title_of(name) for name in fill)),
            columns={**header.columns, **{n: width + i for i, n in enumerate(fill)}},
        )
        self._width = width
        self._values = tuple(fill.values())

    def __iter__(self) -> Iterator[sheets.Row]:
        width, values, header = self._width, self._values, self.header
        for row in self._table:
            cells = tuple(row.cells[:width])
            if len(cells) < width:
                cells += (None,) * (width - len(cells))
            yield sheets.Row(row.number, cells + values, header)


def _read(
    importer: Importer,
    path: Path | BinaryIO,
    *,
    name: str,
    result: ImportResult,
    write: bool,
    user: AbstractBaseUser | None,
    reason: str,
    progress: Progress | None = None,
    fill_from_name: bool = False,
) -> None:
    with sheets.open_table(
        path,
        aliases=importer.aliases(),
        required=importer.required_header,
        key_fields=importer.key_fields,
        labels=importer.labels(),
        name=name,
    ) as opened:
        table: Any = opened
        header = opened.header
        result.offered = {
            field: value
            for field, value in importer.offered_values(name).items()
            if field not in header.columns
        }
        if fill_from_name and result.offered:
            result.filled = dict(result.offered)
            table = _FilledTable(opened, result.filled)
            header = table.header
        result.missing_columns = [
            header.title_of(c.identifier)
            for c in importer.columns
            if c.required and c.clean is not None and c.identifier not in header.columns
        ]
        result.header_row = header.row_number
        result.sheet_name = table.sheet_name
        result.titles = header.titles
        run = _Run(importer, result)
        records = run.records(table)
        context = importer.start(header, write=write, user=user, reason=reason)
        try:
            while chunk := list(islice(records, importer.chunk_size)):
                plan: Plan = importer.plan(chunk, context)
                run.flush(plan.rejected)
                result.created += len(plan.create)
                result.updated += len(plan.change)
                result.unchanged += plan.unchanged
                room = PREVIEW_KEYS - len(result.created_keys)
                if room > 0:
                    result.created_keys.extend(r.key for r in plan.create[:room])
                room = PREVIEW_KEYS - len(result.updated_keys)
                if room > 0:
                    result.updated_keys.extend(plan.changed_keys[:room])
                if write:
                    result.object_ids.extend(importer.write(plan, context))
                if progress is not None:
                    result.rows_read = run.rows_read
                    written = result.created + result.updated if write else 0
                    progress(run.rows_read, result.validated, written)
            run.flush()
            result.rows_read = run.rows_read
            if write:
                importer.finish(context)
            if progress is not None:
                written = result.created + result.updated if write else 0
                progress(run.rows_read, result.validated, written)
        finally:
            importer.close(context)
            if result.report is not None:
                result.report.finish()


def run_import(
    importer: Importer,
    path: str | Path | BinaryIO,
    *,
    name: str | None = None,
    user: AbstractBaseUser | None = None,
    dry_run: bool = False,
    batch: Any | None = None,
    progress: Progress | None = None,
    fill_from_name: bool = False,
) -> ImportResult:
    """Import a file (.xlsx, .xls, .csv) with ``importer``; ``dry_run`` reads, looks up and
    counts without writing. After the commit ``importer.committed`` is called with the ids the
    writes returned. ``progress`` is called after every chunk; ``fill_from_name`` takes the
    values the file's name offers (``Importer.offered_values``) for columns it lacks. Raises
    SpreadsheetError for an unusable file and ImportFailed when the write fails (nothing was
    written)."""
    if not hasattr(path, "read"):
        path = Path(path)
    name = name or Path(getattr(path, "name", "") or "").name
    result = ImportResult()
    reason = importer.change_reason(name, batch)
    how = {"progress": progress, "fill_from_name": fill_from_name}
    if dry_run:
        _read(
            importer, path, name=name, result=result, write=False, user=user, reason=reason, **how
        )
        return result
    try:
        with transaction.atomic():
            _read(
                importer,
                path,
                name=name,
                result=result,
                write=True,
                user=user,
                reason=reason,
                **how,
            )
            ids = list(result.object_ids)
            if ids:
                transaction.on_commit(lambda: importer.committed(ids, batch))
    except DatabaseError as exc:
        logger.warning("%s import %s failed: %s", importer.key, name, exc)
        raise ImportFailed(importer.conflict_message()) from exc
    return result


def records_of(
    importer: Importer,
    table: sheets.Table,
    on_reject: Callable[[sheets.Row, list[RowError]], None] | None = None,
) -> Iterator[Record]:
    """The valid records of an opened table as the pipeline cleans them, without the
    database (benchmarks time the cleaning alone); rejected rows go to ``on_reject``."""
    run = _Run(importer, ImportResult())
    for record in run.records(table):
        if on_reject is not None:
            for row, problems in run.pending:
                on_reject(row, problems)
        run.pending.clear()
        yield record
    if on_reject is not None:
        for row, problems in run.pending:
            on_reject(row, problems)


def file_import(importer_class: type[Importer]) -> Callable[..., ImportResult]:
    """The plain entry point of an importer (commands, tests): ``path`` and the import's
    ``name``, ``user``, ``dry_run`` and ``batch`` to ``run_import`` with a new importer."""

    def import_file(
        path: str | Path | BinaryIO,
        *,
        name: str | None = None,
        user: AbstractBaseUser | None = None,
        dry_run: bool = False,
        batch: Any | None = None,
    ) -> ImportResult:
        return run_import(
            importer_class(), path, name=name, user=user, dry_run=dry_run, batch=batch
        )

    return import_file
