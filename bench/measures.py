"""The measurements. Each takes a ``Bench`` and returns a ``Measurement``; a feature that has not
been built yet gives status "missing" with the reason, never a made-up figure.

run.py runs each in its own process, so its peak memory is its own.
"""

import datetime
import io
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.core.management import call_command, get_commands
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from employers.models import Employer

from .metrics import (
    Bench,
    Measurement,
    Target,
    _projected,
    _scaled_target,
    median,
    percentile,
    settle,
    span,
)
from .pages import measure_pages

# --- 2. full rerate ---------------------------------------------------------------------------


def measure_rerate_all(bench: Bench) -> Measurement:
    m = Measurement("rerate_all", "2. full rerate of all employers")
    try:
        from ratings.models import Rating, RatingHistory
        from ratings.services import employers_rerate_bulk
    except ImportError as error:
        return m.missing(f"rating engine not built ({error})")
    from inspections.models import Case

    employers = Employer.objects.count()
    cases = Case.objects.count()
    m.figures.update(employers=employers, cases=cases)
    if not Rating.objects.exists():
        # The first run after seeding: every employer gets its first rating (all inserts).
        from .floor import backend_cpu_s, cpu_delta

        python_cpu, database_cpu = time.process_time(), backend_cpu_s()
        with span() as first:
            summary = employers_rerate_bulk(cause="full")
        python_cpu = time.process_time() - python_cpu
        database_cpu = cpu_delta(database_cpu, backend_cpu_s())
        if database_cpu is not None:
            m.figures.update(
                first_cpu_s=round(python_cpu + database_cpu, 2),
                first_python_cpu_s=round(python_cpu, 2),
            )
        m.figures.update(
            first_s=round(first.seconds, 2),
            first_rows_per_s=round(employers / first.seconds),
            first_queries=first.queries,
            first_changed=summary.changed,
        )
        m.lines.append(
            f"first rating of every employer (all inserts): {first.seconds:.1f} s, "
            f"{first.queries} queries"
        )
    settle(Rating, RatingHistory)
    # The steady state: ratings exist, only what changed is written (nightly, rule change).
    with span() as s:
        summary = employers_rerate_bulk(cause="full")
    settle(Rating, RatingHistory)
    levels = dict(Rating.objects.values_list("level").annotate(n=Count("pk")).order_by())
    m.figures.update(
        seconds=round(s.seconds, 2),
        rows_per_s=round(employers / s.seconds),
        queries=s.queries,
        changed=summary.changed,
        peak_delta_mb=round(s.peak_delta_mb, 1),
        levels=levels,
    )
    worst = max(s.seconds, m.figures.get("first_s", 0))
    m.figures["worst_s"] = round(worst, 2)
    m.figures["worst_s_at_1m"] = round(_projected(worst, employers), 1)
    m.lines.append(f"levels after rerate: {levels}")
    _floor_figures(m, levels)
    _scaled_target(m, bench, "worst_s", 60, "s")
    return m


def _floor_figures(m: Measurement, levels: dict) -> None:
    """The single-statement floor on the same tables, in the same run, and the engine's ratio
    to it (first rating to the INSERT ... SELECT, rerate to the nothing-changed upsert)."""
    if connection.vendor != "postgresql":
        m.lines.append("floor: PostgreSQL only")
        return
    from django.conf import settings

    from .floor import measure_floor

    floor = measure_floor(timezone.localdate(), settings.RATING_WINDOW_MONTHS)
    write_floor_s, write_floor_cpu_s = (
        _write_floor(settings) if "first_s" in m.figures else (None, None)
    )
    ratios = {}
    if "first_s" in m.figures:
        ratios["first"] = m.figures["first_s"] / max(floor.first_s, 1e-6)
    ratios["rerate"] = m.figures["seconds"] / max(floor.upsert_s, 1e-6)
    m.figures.update(
        floor_first_s=round(floor.first_s, 2),
        floor_upsert_s=round(floor.upsert_s, 2),
        floor_upsert_changed=floor.upsert_changed,
        floor_levels=floor.levels,
        floor_levels_match=floor.levels == levels,
        first_ratio=round(ratios["first"], 2) if "first" in ratios else None,
        rerate_ratio=round(ratios["rerate"], 2),
        ratio=round(max(ratios.values()), 2),
        floor_s=round(floor.first_s if "first" in ratios else floor.upsert_s, 2),
    )
    if floor.first_cpu_s and "first_cpu_s" in m.figures:
        # The same ratio in CPU seconds (this process and its database backend, against the
        # floor's backend): what the load of other work on the machine does not change much.
        m.figures.update(
            floor_first_cpu_s=round(floor.first_cpu_s, 2),
            first_cpu_ratio=round(m.figures["first_cpu_s"] / floor.first_cpu_s, 2),
        )
    if write_floor_s is not None:
        # What the schema costs (indexes, foreign keys, a history row each): the part of the
        # ratio no engine can win back without changing the tables.
        m.figures.update(
            floor_write_s=round(write_floor_s, 2),
            first_write_ratio=round(m.figures["first_s"] / max(write_floor_s, 1e-6), 2),
        )
        if write_floor_cpu_s is not None:
            m.figures["floor_write_cpu_s"] = round(write_floor_cpu_s, 2)
        m.lines.append(
            f"write floor (the same rows with every column and a history row each, into copies "
            f"of the real tables, employers locked): {write_floor_s:.2f} s, "
            f"{write_floor_s / max(floor.first_s, 1e-6):.1f}x the floor; the engine's first "
            f"rating is {m.figures['first_write_ratio']}x it"
        )
    m.targets.append(Target("ratio", 3, "x floor"))
    m.lines.append(
        f"floor: first {floor.first_s:.2f} s (engine {m.figures.get('first_s', 'na')} s), "
        f"nothing-changed upsert {floor.upsert_s:.2f} s (engine {m.figures['seconds']} s); "
        f"levels {'match' if floor.levels == levels else 'DIFFER: ' + str(floor.levels)}"
    )
    if floor.levels != levels:
        m.note = "the floor's level counts differ from the engine's"


def _write_floor(settings) -> tuple[float, float | None]:
    from ratings.patrol_due import patrol_interval_months
    from ratings.repair.facts import ruleset_active

    from .floor import measure_write_floor

    today = timezone.localdate()
    return measure_write_floor(
        today,
        settings.RATING_WINDOW_MONTHS,
        tz_name=timezone.get_current_timezone_name(),
        version=ruleset_active(today=today).version,
        months=patrol_interval_months(),
    )


def _ensure_ratings(bench: Bench) -> None:
    """Pages and exports need ratings; a run limited to them rates once first (not measured)."""
    try:
        from ratings.models import Rating
        from ratings.services import employers_rerate_bulk
    except ImportError:
        return
    if not Rating.objects.exists():
        bench.log("  (no ratings yet: rating every employer first, not measured)")
        employers_rerate_bulk(cause="full")


# --- 3. rerate after one measure changes ------------------------------------------------------


def measure_rerate_one(bench: Bench) -> Measurement:
    m = Measurement("rerate_one", "3. rerate after one measure changes")
    try:
        from ratings.models import Rating
        from ratings.services import employer_rerate
    except ImportError as error:
        return m.missing(f"rating engine not built ({error})")
    from inspections.models import Case

    _ensure_ratings(bench)
    today = timezone.localdate()
    # Overdue orders to correct: rectifying one usually moves the employer out of C (a rating
    # write and a history row), undoing it moves it back: both directions of a real change.
    overdue = list(
        Case.objects.filter(
            order_issued=True,
            order_rectified_on__isnull=True,
            order_deadline__lt=today,
            withdrawn=False,
        )
        .order_by("pk")
        .values_list("pk", "employer_id")[: bench.requests // 2]
    )
    if not overdue:
        return m.missing("no overdue order in the seeded cases")
    direct_ms: list[float] = []
    direct_queries: list[int] = []
    changes = [(pk, employer, today) for pk, employer in overdue] + [
        (pk, employer, None) for pk, employer in overdue
    ]
    for pk, employer_id, rectified in changes:
        # The measure changes without signals, then the rerate alone is timed.
        Case.objects.filter(pk=pk).update(order_rectified_on=rectified)
        with span() as s:
            employer_rerate(employer_id=employer_id, cause="case_changed")
        direct_ms.append(s.seconds * 1000)
        direct_queries.append(s.queries)
    # The user's path: the case is saved, ratings/signals.py queues the rerate on commit (a
    # Celery task, run eagerly here), the rating is written.
    e2e_ms: list[float] = []
    e2e_queries: list[int] = []
    followed = 0
    for pk, employer_id, rectified in changes:
        case = Case.objects.get(pk=pk)
        stamp = _computed_at(Rating, employer_id)
        with span() as s, transaction.atomic():
            case.order_rectified_on = rectified
            case.save()
        e2e_ms.append(s.seconds * 1000)
        e2e_queries.append(s.queries)
        if _computed_at(Rating, employer_id) != stamp:
            followed += 1
    m.figures.update(
        samples=len(direct_ms),
        median_ms=round(median(direct_ms), 2),
        p95_ms=round(percentile(direct_ms, 95), 2),
        max_queries=max(direct_queries),
        save_median_ms=round(median(e2e_ms), 2),
        save_p95_ms=round(percentile(e2e_ms, 95), 2),
        save_max_queries=max(e2e_queries),
        rating_followed_save=f"{followed}/{len(changes)}",
    )
    m.targets += [Target("median_ms", 20, "ms"), Target("max_queries", 10, "queries")]
    m.lines.append(
        f"case save through signal and rerate: median {median(e2e_ms):.1f} ms, "
        f"{max(e2e_queries)} queries at most; rating recomputed after {followed} of "
        f"{len(changes)} saves"
    )
    if followed < len(changes):
        m.note = "the rating did not follow every case save (signal not wired or no change)"
    return m


def _computed_at(rating_model: type, employer_id: int) -> object:
    return (
        rating_model.objects.filter(employer_id=employer_id)
        .values_list("computed_at", flat=True)
        .first()
    )


# --- 5. monthly coverage check ----------------------------------------------------------------


def measure_coverage(bench: Bench) -> Measurement:
    m = Measurement("coverage", "5. monthly coverage check of all units")
    if "coverage_check" not in get_commands():
        return m.missing("coverage_check command not built")
    _ensure_ratings(bench)
    first_of_month = timezone.localdate().replace(day=1)
    month = (first_of_month - datetime.timedelta(days=1)).strftime("%Y-%m")
    with span() as s:
        call_command("coverage_check", month=month, stdout=_Discard())
    # A rerun must replace, not duplicate: time it too.
    with span() as again:
        call_command("coverage_check", month=month, stdout=_Discard())
    m.figures.update(
        month=month,
        seconds=round(s.seconds, 2),
        rerun_s=round(again.seconds, 2),
        queries=s.queries,
        peak_delta_mb=round(s.peak_delta_mb, 1),
        seconds_at_1m=round(_projected(s.seconds, bench.scale), 1),
    )
    _scaled_target(m, bench, "seconds", 10, "s")
    return m


class _Discard:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        return None


# --- 6. ratings export ------------------------------------------------------------------------


def _export(bench: Bench, m: Measurement, *, level: str | None, suffix: str) -> None:
    if "export_ratings" not in get_commands():
        m.missing("export_ratings command not built")
        return
    _ensure_ratings(bench)
    target = Path(tempfile.mkdtemp(dir=bench.out)) / f"ratings.{suffix}"
    options = {"level": level} if level else {}
    output = io.StringIO()
    cpu_start = time.process_time()
    with span() as s:
        call_command("export_ratings", str(target), stdout=output, **options)
    # This process's share (reading rows, formatting, compressing); the rest of the wall time
    # is the database's, or waiting for a core on a loaded machine.
    cpu_s = time.process_time() - cpu_start
    # The command's summary line gives the row count (reading a million-row file back would
    # cost more memory than the export itself, and count in this process's peak).
    match = re.search(r"exported=(\d+)", output.getvalue())
    rows = int(match.group(1)) if match else None
    size_mb = target.stat().st_size / 2**20
    target.unlink()
    target.parent.rmdir()
    m.figures.update(
        rows=rows,
        seconds=round(s.seconds, 2),
        rows_per_s=round(rows / s.seconds) if rows and s.seconds else None,
        process_cpu_s=round(cpu_s, 2),
        queries=s.queries,
        file_mb=round(size_mb, 1),
        peak_delta_mb=round(s.peak_delta_mb, 1),
        seconds_at_1m=round(_projected(s.seconds, bench.scale), 1),
    )


def measure_export_c(bench: Bench) -> Measurement:
    m = Measurement("export_c", "6a. ratings export of all C employers (.xlsx)")
    _export(bench, m, level="C", suffix="xlsx")
    return m


def measure_export_all(bench: Bench) -> Measurement:
    m = Measurement("export_all", "6b. ratings export of all employers (.xlsx)")
    _export(bench, m, level=None, suffix="xlsx")
    return m


def measure_export_all_csv(bench: Bench) -> Measurement:
    m = Measurement("export_all_csv", "6c. ratings export of all employers (.csv)")
    _export(bench, m, level=None, suffix="csv")
    return m


def sanctioned_share() -> dict:
    """How the seeded cases look, for the report."""
    from inspections.models import Case

    today = timezone.localdate()
    return Case.objects.aggregate(
        cases=Count("pk"),
        orders=Count("pk", filter=Q(order_issued=True)),
        overdue_orders=Count(
            "pk",
            filter=Q(
                order_issued=True,
                order_rectified_on__isnull=True,
                order_deadline__lt=today,
                withdrawn=False,
            ),
        ),
        decisions=Count("pk", filter=Q(decision_issued=True)),
        penalties=Count("pk", filter=Q(penalty_issued=True)),
        withdrawn=Count("pk", filter=Q(withdrawn=True)),
        flags=Count("pk", filter=Q(mass_incident=True) | Q(serious=True) | Q(criminal=True)),
    )


MEASURES: dict[str, Callable[[Bench], Measurement]] = {
    "rerate_all": measure_rerate_all,
    "rerate_one": measure_rerate_one,
    "pages": measure_pages,
    "coverage": measure_coverage,
    "export_c": measure_export_c,
    "export_all": measure_export_all,
    "export_all_csv": measure_export_all_csv,
}
