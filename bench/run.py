"""City-scale benchmark: seed N employers, measure, print one summary line.

    make bench                       # SCALE=20000 on $DATABASE_URL (or bench/out/bench.sqlite3)
    SCALE=1000000 make bench         # the full run (PostgreSQL is the one that counts)
    .venv/bin/python bench/run.py --scale 100000 --only pages,rerate_one --explain
    .venv/bin/python bench/run.py --reseed          # empty the benchmark tables and seed again

Each measurement runs in its own Python process (``--child``), so the peak memory reported
for it is its own. Results are kept in bench/out/results-<database>-<scale>.json; query counts
are compared with the other scales found there. The last line printed is the summary of
docs/performance.md.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULT_MARK = "BENCH-RESULT "
DEFAULT_SCALE = 20_000
ORDER = [
    "import_roster",
    "import_iex",
    "rerate_all",
    "rerate_fanout",
    "rerate_one",
    "pages",
    "coverage",
    "export_c",
    "export_all",
    "export_all_csv",
]


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale",
        type=int,
        default=int(os.environ.get("SCALE", DEFAULT_SCALE)),
        help="employers to seed (env SCALE; default %(default)s)",
    )
    parser.add_argument("--reseed", action="store_true", help="empty and seed again")
    parser.add_argument("--only", default="", help="comma-separated measurements to run")
    parser.add_argument("--skip", default="", help="comma-separated measurements to leave out")
    parser.add_argument("--requests", type=int, default=50, help="requests per page")
    parser.add_argument(
        "--iex-rows",
        type=int,
        default=int(os.environ.get("BENCH_IEX_ROWS", 10_000)),
        help="rows of the roster file django-import-export imports, its time scaled to the "
        "whole file (0: the whole file; at 100k it takes several minutes)",
    )
    parser.add_argument("--explain", action="store_true", help="EXPLAIN the slowest statements")
    parser.add_argument(
        "--inline", action="store_true", help="run every measurement in this process"
    )
    parser.add_argument(
        "--allow-any-database",
        action="store_true",
        help="seed a database whose name does not contain 'bench' (it empties tables!)",
    )
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    # the roster import figure of this run, handed to the django-import-export comparison
    parser.add_argument("--our-import-s", type=float, default=None, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _setup() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()


def _database_label() -> str:
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    return f"{connection.vendor}:{Path(name).name if connection.vendor == 'sqlite' else name}"


def _check_database(allow_any: bool) -> None:
    """Seeding empties tables: refuse a database that does not look like a benchmark one."""
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if "bench" not in Path(name).name and not allow_any:
        sys.exit(
            f"bench: refusing to seed database {name!r}: its name does not contain 'bench'. "
            "Use e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiqing_bench "
            "or --allow-any-database."
        )


def _bench(args: argparse.Namespace):
    from django.conf import settings

    from bench.measures import Bench

    out = Path(settings.BENCH_OUT)
    out.mkdir(parents=True, exist_ok=True)
    return Bench(
        scale=args.scale,
        out=out,
        requests=args.requests,
        iex_rows=args.iex_rows,
        extra={"explain": args.explain, "import_roster_seconds_100k": args.our_import_s},
    )


def _all_measures() -> dict:
    from bench.fanout import measure_rerate_fanout
    from bench.imports import IMPORT_MEASURES
    from bench.measures import MEASURES

    return {**IMPORT_MEASURES, **MEASURES, "rerate_fanout": measure_rerate_fanout}


def _run_child(args: argparse.Namespace) -> None:
    """One measurement in this process; the result goes to stdout as one JSON line."""
    from bench.metrics import FAILED, Measurement, peak_rss_mb

    measure = _all_measures()[args.child]
    bench = _bench(args)
    load = os.getloadavg()[0]
    try:
        result = measure(bench)
    except Exception as error:  # the report says which measurement failed, and why
        import traceback

        traceback.print_exc()
        result = Measurement(args.child, args.child, status=FAILED, note=repr(error)[:300])
    result.figures["load_at_start"] = round(load, 1)
    result.figures["process_peak_rss_mb"] = round(peak_rss_mb(), 1)
    print(RESULT_MARK + json.dumps(result.to_dict(), ensure_ascii=False, default=str), flush=True)


def _spawn(key: str, args: argparse.Namespace) -> dict | None:
    """Run a measurement in a fresh process; returns its result (None if it died)."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        key,
        "--scale",
        str(args.scale),
        "--requests",
        str(args.requests),
        "--iex-rows",
        str(args.iex_rows),
    ]
    if args.explain:
        command.append("--explain")
    if args.our_import_s is not None:
        command += ["--our-import-s", str(args.our_import_s)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    result = None
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith(RESULT_MARK):
            result = json.loads(line[len(RESULT_MARK) :])
        else:
            print("  " + line.rstrip(), flush=True)
    process.wait()
    return result


def _machine() -> dict:
    from django.db import connection

    info = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "database": connection.vendor,
    }
    try:
        with open("/proc/meminfo") as handle:
            info["ram_gb"] = round(int(handle.readline().split()[1]) / 2**20, 1)
        info["load"] = os.getloadavg()[0]
    except OSError:
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            info["database"] = "PostgreSQL " + cursor.fetchone()[0]
            cursor.execute("SHOW shared_buffers")
            info["shared_buffers"] = cursor.fetchone()[0]
            cursor.execute("SHOW work_mem")
            info["work_mem"] = cursor.fetchone()[0]
        else:
            cursor.execute("select sqlite_version()")
            info["database"] = "SQLite " + cursor.fetchone()[0]
    return info


def _report(result) -> None:
    from bench.metrics import fmt

    print(f"\n== {result.title} [{result.status}]" + (f": {result.note}" if result.note else ""))
    for name, value in result.figures.items():
        print(f"   {name:<28} {fmt(value)}")
    for target in result.targets:
        value = result.figures.get(target.figure)
        met = target.met_by(value)
        verdict = "n/a" if met is None else ("met" if met else "MISSED")
        print(f"   target {target.figure} <= {target.limit:g} {target.unit}: {verdict}")
    for line in result.lines:
        print(f"   {line}")


def _compare_query_counts(results: dict, path: Path) -> list[str]:
    """Query counts of the pages must not grow with the data: compare with other scales."""
    notes = []
    mine = results.get("pages", {}).get("figures", {})
    for other in sorted(path.parent.glob("results-*.json")):
        if other == path:
            continue
        data = json.loads(other.read_text())
        theirs = data.get("results", {}).get("pages", {}).get("figures", {})
        for name, value in mine.items():
            if name.endswith("_queries") and name in theirs and theirs[name] != value:
                notes.append(
                    f"{name}: {value} here, {theirs[name]} at scale {data.get('scale')} "
                    f"({other.name})"
                )
    return notes


def _summary(scale: int, results: dict, peak: float) -> str:
    def figure(key: str, name: str) -> str:
        data = results.get(key)
        if not data or data["status"] != "ok" or data["figures"].get(name) is None:
            return "na"
        value = data["figures"][name]
        return f"{value:.3g}" if isinstance(value, float) and value < 1 else f"{value}"

    parts = [
        f"scale={scale}",
        f"import_100k_s={figure('import_roster', 'seconds_100k')}",
        f"iex_ratio={figure('import_iex', 'ratio')}",
        f"rerate_all_s={figure('rerate_all', 'worst_s')}",
        f"rerate_one_ms={figure('rerate_one', 'median_ms')}",
        f"list_median_ms={figure('pages', 'list_median_ms')}",
        f"watchlist_median_ms={figure('pages', 'watchlist_median_ms')}",
        f"coverage_s={figure('coverage', 'seconds')}",
        f"export_all_s={figure('export_all', 'seconds')}",
        f"rerate_floor_s={figure('rerate_all', 'floor_s')}",
        f"rerate_ratio={figure('rerate_all', 'ratio')}",
        f"rerate_2workers_s={figure('rerate_fanout', 'two_workers_s')}",
        f"search_median_ms={figure('pages', 'search_median_ms')}",
        f"patrols_due_median_ms={figure('pages', 'patrols_due_median_ms')}",
        f"export_csv_s={figure('export_all_csv', 'seconds')}",
        f"import_peak_mb={figure('import_roster', 'peak_mb')}",
        f"peak_rss_mb={peak:.0f}",
    ]
    return "BENCH " + " ".join(parts)


def main(argv: list[str]) -> None:
    args = _arguments(argv)
    _setup()
    if args.child:
        _run_child(args)
        return

    from django.core.management import call_command

    from bench.metrics import FAILED, Measurement, peak_rss_mb
    from bench.seed import seed

    _check_database(args.allow_any_database)
    bench = _bench(args)
    machine = _machine()
    print(f"bench: scale {args.scale:,} on {_database_label()}; machine {machine}", flush=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    state = seed(args.scale, reseed=args.reseed, log=lambda line: print(line, flush=True))
    from bench.measures import sanctioned_share

    print(f"seed: phases {sorted(state)}; cases {sanctioned_share()}", flush=True)

    chosen = [k for k in ORDER if not args.only or k in args.only.split(",")]
    chosen = [k for k in chosen if k not in args.skip.split(",")]
    measures = _all_measures()
    label = _database_label().split(":")[0]
    path = bench.out / f"results-{label}-{args.scale}.json"
    results: dict[str, dict] = {}
    if (args.only or args.skip) and path.exists():
        # A partial run updates the measurements it repeats and keeps the others.
        results = json.loads(path.read_text()).get("results", {})
    print(f"seed: this process peaked at {peak_rss_mb():.0f} MB", flush=True)
    for key in chosen:
        print(f"\n-- {key}", flush=True)
        if args.inline:
            try:
                data = measures[key](bench).to_dict()
            except Exception as error:
                data = Measurement(key, key, status=FAILED, note=repr(error)[:300]).to_dict()
            data["figures"]["process_peak_rss_mb"] = round(peak_rss_mb(), 1)
        else:
            data = _spawn(key, args)
            if data is None:
                data = Measurement(key, key, status=FAILED, note="process died").to_dict()
        if key == "import_roster" and data["status"] == "ok":
            args.our_import_s = data["figures"]["seconds_100k"]
            bench.extra["import_roster_seconds_100k"] = args.our_import_s
        data["measured_at"] = time.strftime("%Y-%m-%d %H:%M:%S")
        results[key] = data
        _report(Measurement.from_dict(data))

    path.write_text(
        json.dumps(
            {
                "scale": args.scale,
                "machine": machine,
                "finished": time.strftime("%Y-%m-%d %H:%M:%S"),
                "seconds": round(time.perf_counter() - started, 1),
                "results": results,
            },
            ensure_ascii=False,
            indent=1,
            default=str,
        )
    )
    notes = _compare_query_counts(results, path)
    print(f"\nresults saved to {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    print("query counts vs other scales: " + ("; ".join(notes) if notes else "no difference"))
    print(f"total {time.perf_counter() - started:.0f} s")
    # the summary's peak: the highest of the measurement processes
    peak = max((r["figures"].get("process_peak_rss_mb", 0.0) for r in results.values()), default=0)
    print(_summary(args.scale, results, peak), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
