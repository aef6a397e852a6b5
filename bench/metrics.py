"""What every measurement records: wall time, throughput, memory, SQL statements, targets."""

import resource
import statistics
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection

OK = "ok"
MISSING = "missing"  # the feature it measures has not been built
FAILED = "failed"  # the feature exists but the measurement raised


@dataclass
class Target:
    figure: str
    limit: float
    unit: str

    def met_by(self, value: float | None) -> bool | None:
        return None if value is None else value <= self.limit


@dataclass
class Measurement:
    key: str
    title: str
    status: str = OK
    note: str = ""
    figures: dict[str, Any] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # extra detail for the report

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "status": self.status,
            "note": self.note,
            "figures": self.figures,
            "targets": [vars(t) for t in self.targets],
            "lines": self.lines,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Measurement":
        return cls(
            key=data["key"],
            title=data["title"],
            status=data["status"],
            note=data.get("note", ""),
            figures=data.get("figures", {}),
            targets=[Target(**t) for t in data.get("targets", [])],
            lines=data.get("lines", []),
        )

    def missing(self, reason: str) -> "Measurement":
        self.status = MISSING
        self.note = reason
        return self


def rss_mb() -> float:
    """Resident memory of this process now (Linux /proc; 0 where unavailable)."""
    try:
        with open("/proc/self/statm") as handle:
            pages = int(handle.read().split()[1])
    except OSError:
        return 0.0
    return pages * resource.getpagesize() / 2**20


def peak_rss_mb() -> float:
    """The highest resident memory this process has reached.

    VmHWM belongs to this process image; ru_maxrss is not used because Linux carries it over
    from the parent through fork and exec, so every child would report the parent's peak."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class QueryCounter:
    """Counts SQL statements without keeping them (CaptureQueriesContext stores every string,
    which a million-row job cannot afford). COPY through a raw cursor is not counted."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


@dataclass
class Span:
    seconds: float = 0.0
    queries: int = 0
    rss_start_mb: float = 0.0
    peak_rss_mb: float = 0.0

    @property
    def peak_delta_mb(self) -> float:
        """Growth of peak memory over what the process held when the span started. Meaningful
        when the span runs in a fresh process (run.py runs each measurement in its own)."""
        return max(0.0, self.peak_rss_mb - self.rss_start_mb)


@contextmanager
def span() -> Iterator[Span]:
    """Wall time, statements and memory of the enclosed block."""
    result = Span(rss_start_mb=rss_mb())
    counter = QueryCounter()
    start = time.perf_counter()
    with connection.execute_wrapper(counter):
        yield result
    result.seconds = time.perf_counter() - start
    result.queries = counter.count
    result.peak_rss_mb = peak_rss_mb()


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: p95 of 50 samples is the 48th smallest."""
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def median(values: list[float]) -> float:
    return statistics.median(values)


def fmt(value: Any) -> str:
    if value is None:
        return "na"
    if isinstance(value, float):
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    return str(value)


# --- the run and its projections ------------------------------------------------------------

FULL_SCALE = 1_000_000


@dataclass
class Bench:
    scale: int
    out: Path
    requests: int = 50
    iex_rows: int = 10_000  # 0: the whole 100k file
    import_rows: int = 100_000
    log: Callable[[str], None] = print
    extra: dict = field(default_factory=dict)


def _projected(seconds: float, scale: int) -> float:
    """Linear projection to a million employers (every bulk job here is meant to be linear)."""
    return seconds * FULL_SCALE / max(scale, 1)


def _scaled_target(m: Measurement, bench: Bench, figure: str, limit: float, unit: str) -> None:
    """A target stated "at 1M" is checked directly at 1M, and on the projection elsewhere."""
    m.targets.append(
        Target(figure if bench.scale >= FULL_SCALE else f"{figure}_at_1m", limit, unit)
    )


def settle(*models: type) -> None:
    """What autovacuum does within minutes of a bulk change, done now so that the next
    measurement starts from the same state on every run: fresh planner statistics and a
    current visibility map (index-only scans for counts). Not timed; PostgreSQL only."""
    settle_tables(model._meta.db_table for model in models)


def settle_tables(tables: Iterable[str]) -> None:
    """``settle`` by table name: VACUUM ANALYZE each, or ANALYZE only inside a transaction (a
    test's: VACUUM cannot run there). PostgreSQL only."""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {quote(table)}")
        return
    previous = connection.get_autocommit()
    connection.set_autocommit(True)
    try:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {quote(table)}")
    finally:
        connection.set_autocommit(previous)
