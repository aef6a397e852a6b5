"""Try database fixes on a scratch copy of a seeded benchmark database, before and after.

    createdb -h 127.0.0.1 -U postgres -T xiqing_bench xiqing_bench_scratch
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiqing_bench_scratch \\
        .venv/bin/python bench/try_fixes.py bench/fixes.sql

Times each page of measurement 4 (median of ``--requests`` requests, with the time of each of
its statements), applies the SQL file (statements separated by ";" at line ends), then times
them again. Index migrations belong to the apps that own the tables: this only shows what a
fix would buy. Refuses a database whose name does not contain "scratch".
"""

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _pages() -> dict[str, str]:
    from django.db.models import Count
    from django.urls import reverse

    from employers.models import Unit

    biggest = Unit.objects.annotate(n=Count("employers")).order_by("-n").first()
    employers = reverse("employers:list")
    return {
        "list by unit": f"{employers}?unit={biggest.pk}",
        "list, whole district": employers,
        "name search": f"{employers}?q={quote('精工')}",
        "watchlist": reverse("planning:watchlist"),
        "coverage dashboard": reverse("supervision:dashboard"),
    }


def _time_pages(requests: int) -> dict[str, tuple[float, list[tuple[float, str]]]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.metrics import median
    from bench.pages import _supervisor_client

    client = _supervisor_client()
    timings = {}
    for name, url in _pages().items():
        client.get(url)
        totals: list[float] = []
        statements: dict[int, list[float]] = {}
        sql: dict[int, str] = {}
        for _ in range(requests):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                totals.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            for i, query in enumerate(queries.captured_queries):
                statements.setdefault(i, []).append(float(query["time"]) * 1000)
                sql[i] = query["sql"]
        timings[name] = (
            median(totals),
            [(median(statements[i]), sql[i]) for i in sorted(statements)],
        )
    return timings


def _print(label: str, timings: dict) -> None:
    print(f"\n{label}")
    for name, (total, statements) in timings.items():
        print(f"  {name:<22} {total:8.1f} ms")
        for ms, sql in statements:
            if ms >= 5:
                print(f"      {ms:8.1f} ms  {sql[:140]}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sql_file", type=Path)
    parser.add_argument("--requests", type=int, default=7)
    args = parser.parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.db import connection

    if "scratch" not in str(connection.settings_dict["NAME"]):
        sys.exit("try_fixes: use a scratch copy (a database whose name contains 'scratch')")
    before = _time_pages(args.requests)
    _print("before", before)
    statements = [s.strip() for s in args.sql_file.read_text().split(";\n") if s.strip()]
    with connection.cursor() as cursor:
        for sql in statements:
            start = time.perf_counter()
            cursor.execute(sql)
            print(f"applied in {time.perf_counter() - start:5.1f} s: {sql.splitlines()[-1][:100]}")
    after = _time_pages(args.requests)
    _print("after", after)
    print("\npage medians, before -> after")
    for name in before:
        print(f"  {name:<22} {before[name][0]:8.1f} -> {after[name][0]:8.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
