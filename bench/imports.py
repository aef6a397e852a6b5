"""1. Roster import of a generated 100,000-row .xlsx, and django-import-export on the same rows.

The file and the import measurement are the roster import's own (bench/import_roster.py); this
module runs them inside the seeded district and adds what the city-scale report needs: the
statements and memory of each import, and the comparison with django-import-export.

Both importers are timed without the rating that follows an import (ratings/signals.py reruns
the imported employers after the commit); import_roster.py also times the import with it.
"""

import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db.models.signals import post_save

from employers.forms import EmployerForm
from employers.models import Employer, Unit
from employers.signals import employers_imported

from . import import_roster
from .measures import Bench, settle
from .metrics import Measurement, Span, Target, span

ROWS_TARGET = 100_000
FILE_SEED = 1


def roster_file(bench: Bench) -> Path:
    """The roster import's generated file, made once per row count (in a child process, so
    that making it does not count in anybody's memory)."""
    path = import_roster.OUT / f"roster-{bench.import_rows}-{FILE_SEED}.xlsx"
    if not path.exists():
        subprocess.run(
            [
                sys.executable,
                import_roster.__file__,
                "--generate-only",
                f"--rows={bench.import_rows}",
                f"--seed={FILE_SEED}",
            ],
            check=True,
        )
    return path


@contextmanager
def _without_rating() -> Iterator[None]:
    """Detach the ratings app's receivers for imported and created employers, so an import is
    timed as read, validate and write (as import_roster.py times ours)."""
    from ratings import signals as rating_signals

    employers_imported.disconnect(dispatch_uid="ratings-roster")
    post_save.disconnect(sender=Employer, dispatch_uid="ratings-employer-save")
    try:
        yield
    finally:
        rating_signals.connect()


def measure_import_roster(bench: Bench) -> Measurement:
    m = Measurement("import_roster", f"1. roster import of a {bench.import_rows:,}-row .xlsx")
    from employers import importer as services

    path = roster_file(bench)
    # import_roster.measure calls the service several times (the import, the re-import of the
    # same file, ...); wrapping the service gives each call's statements and memory, told
    # apart by what the call did.
    calls: list[tuple[Span, Any]] = []
    original = services.roster_import

    def timed_import(**kwargs: Any) -> Any:
        with span() as s:
            result = original(**kwargs)
        calls.append((s, result))
        return result

    services.roster_import = timed_import
    try:
        figures = import_roster.measure(path, keep=False)
    finally:
        services.roster_import = original
    # The generated rows were inserted and deleted again: leave the table as autovacuum would.
    settle(Employer, Employer.history.model)
    rows = int(figures["rows"])
    first = next(s for s, r in calls if r.created and not r.updated)
    again = next(s for s, r in calls if not r.created and not r.updated and r.unchanged)
    m.figures.update(
        rows=rows,
        valid=int(figures["valid"]),
        rejected=int(figures["rejected"]),
        read_s=round(figures["read_s"], 2),
        validate_s=round(figures["validate_s"], 2),
        seconds=round(figures["import_s"], 2),
        rows_per_s=round(rows / figures["import_s"]),
        queries=first.queries,
        peak_delta_mb=round(first.peak_delta_mb, 1),
        peak_mb=round(first.peak_rss_mb, 1),
        reimport_s=round(figures["reimport_s"], 2),
        reimport_queries=again.queries,
        seconds_100k=round(figures["import_s"] * ROWS_TARGET / rows, 2),
    )
    for name, label in (
        ("update_s", "re-import with every employer changed"),
        ("import_with_subscribers_s", "import with the ratings app subscribed"),
    ):
        if name in figures:
            m.figures[name] = round(figures[name], 2)
            m.lines.append(f"{name}: {label}")
    m.targets.append(Target("seconds_100k", 10, "s"))
    if rows != ROWS_TARGET:
        m.note = f"{rows:,} rows; seconds_100k scaled linearly"
    return m


# --- django-import-export ---------------------------------------------------------------------


def _employer_resource() -> type:
    """A minimal ModelResource: the employer fields, keyed on the credit code."""
    from import_export import fields, resources, widgets

    class EmployerResource(resources.ModelResource):
        unit = fields.Field(
            attribute="unit", column_name="unit", widget=widgets.ForeignKeyWidget(Unit, "code")
        )

        class Meta:
            model = Employer
            import_id_fields = ("credit_code",)
            # what the employer form edits, but the verification date a roster does not carry
            fields = tuple(name for name in EmployerForm.Meta.fields if name != "verified_on")

    return EmployerResource


def _plain_copy(source: Path, target: Path, limit: int) -> int:
    """The first ``limit`` valid rows of the roster, cleaned by our own validation, as a plain
    .xlsx (header on the first row, field names as headers) that django-import-export reads
    as it is: it gets clean input, and our importer the messy original."""
    from openpyxl import Workbook

    from core import spreadsheets as sheets
    from employers import roster
    from employers.importer import RosterImporter
    from imports.pipeline import records_of

    names = _employer_resource()._meta.fields
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("employers")
    sheet.append(list(names))
    written = 0
    with sheets.open_table(
        source, aliases=roster.ROSTER_COLUMNS, required=roster.REQUIRED_FIELDS
    ) as table:
        for record in records_of(RosterImporter(), table):
            values = {"credit_code": record.key, **record.values}
            values.setdefault("kind", roster.default_kind(record.key))
            sheet.append([values.get(name) for name in names])
            written += 1
            if written == limit:
                break
    workbook.save(target)
    return written


def measure_import_iex(bench: Bench) -> Measurement:
    m = Measurement("import_iex", "1b. django-import-export on the same rows")
    try:
        import tablib
        from import_export import resources  # noqa: F401
    except ImportError:
        return m.missing("django-import-export is not installed (a development dependency)")
    source = roster_file(bench)
    limit = bench.iex_rows or bench.import_rows
    plain = bench.out / f"roster-iex-{bench.import_rows}-{limit}.xlsx"
    if not plain.exists():
        _plain_copy(source, plain, limit)
    resource = _employer_resource()()
    import_roster._remove_generated()
    with _without_rating(), span() as s:
        with plain.open("rb") as handle:
            dataset = tablib.Dataset().load(handle.read(), format="xlsx")
        result = resource.import_data(dataset, dry_run=False, use_transactions=True)
    rows = len(dataset)
    totals = {k: v for k, v in result.totals.items() if v}
    removed = import_roster._remove_generated()
    settle(Employer, Employer.history.model)
    m.figures.update(
        rows=rows,
        seconds=round(s.seconds, 2),
        rows_per_s=round(rows / s.seconds),
        queries=s.queries,
        queries_per_row=round(s.queries / max(rows, 1), 1),
        peak_delta_mb=round(s.peak_delta_mb, 1),
        seconds_100k=round(s.seconds * ROWS_TARGET / max(rows, 1), 1),
        totals=totals,
    )
    if result.has_errors() or result.has_validation_errors():
        m.note = "django-import-export reported errors; its import was rolled back"
    ours = _our_seconds_100k(bench)
    if ours is None:
        m.lines.append("ratio: needs the roster import measured in the same run")
    else:
        m.figures["ratio"] = round(m.figures["seconds_100k"] / ours, 1)
        m.lines.append(
            f"ratio = django-import-export {m.figures['seconds_100k']} s / ours {ours} s "
            "per 100,000 rows"
            + (
                f" (django-import-export measured on {rows:,} rows and scaled)"
                if rows < ROWS_TARGET
                else ""
            )
        )
    m.lines.append(f"removed {removed:,} imported rows")
    return m


def _our_seconds_100k(bench: Bench) -> float | None:
    """The roster import figure of this run, from the result file the parent keeps."""
    value = bench.extra.get("import_roster_seconds_100k")
    return float(value) if value is not None else None


IMPORT_MEASURES: dict[str, Callable[[Bench], Measurement]] = {
    "import_roster": measure_import_roster,
    "import_iex": measure_import_iex,
}
