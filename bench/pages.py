"""Page timings at scale: median and p95 of each list and detail page, their query counts and
the EXPLAIN of their slowest statement (the "pages" measurement of run.py)."""

import time
from dataclasses import dataclass
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from employers.models import Employer

from . import seed
from .metrics import Bench, Measurement, Target, median, percentile

# --- 4. pages ---------------------------------------------------------------------------------


def _supervisor_client() -> Client:
    user = get_user_model().objects.get(username=seed.SUPERVISOR)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _timed_get(client: Client, url: str) -> tuple[float, int, int, list[dict]]:
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        elapsed = time.perf_counter() - start
    return elapsed * 1000, response.status_code, len(queries), list(queries.captured_queries)


def _explain(sql: str) -> list[str]:
    """EXPLAIN ANALYZE of a captured statement (PostgreSQL), its top lines."""
    if connection.vendor != "postgresql" or not sql.lstrip().upper().startswith("SELECT"):
        return []
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return [row[0] for row in cursor.fetchall()][:12]


@dataclass
class PageResult:
    median_ms: float
    p95_ms: float
    queries: set[int]
    slowest: list[tuple[float, str]]


def _run_page(client: Client, urls: list[str], count: int) -> PageResult:
    for url in urls[:2]:
        _timed_get(client, url)  # warm the caches a long-running server would have warm
    times: list[float] = []
    counts: set[int] = set()
    slow: list[tuple[float, str]] = []
    for i in range(count):
        url = urls[i % len(urls)]
        ms, status, queries, captured = _timed_get(client, url)
        if status != 200:
            raise RuntimeError(f"GET {url} answered {status}")
        times.append(ms)
        counts.add(queries)
        # The session and user look-ups are the same on every page; the page's own statements
        # are the ones worth explaining.
        slow.extend(
            (float(q["time"]), q["sql"])
            for q in captured
            if '"django_session"' not in q["sql"] and '"auth_' not in q["sql"]
        )
    slow.sort(reverse=True)
    return PageResult(median(times), percentile(times, 95), counts, slow[:3])


def _url(name: str, **kwargs: str) -> str | None:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def _page_figures(m: Measurement, prefix: str, result: PageResult, bench: Bench) -> None:
    m.figures[f"{prefix}_median_ms"] = round(result.median_ms, 1)
    m.figures[f"{prefix}_p95_ms"] = round(result.p95_ms, 1)
    m.figures[f"{prefix}_queries"] = sorted(result.queries)
    m.targets.append(Target(f"{prefix}_median_ms", 100, "ms"))
    if result.median_ms > 100 or bench.extra.get("explain"):
        for ms, sql in result.slowest[:2]:
            m.lines.append(f"{prefix}: slowest statement {ms * 1000:.0f} ms: {sql[:300]}")
            m.lines.extend(f"    {line}" for line in _explain(sql))


def _query_counts_stable(client: Client, variants: list[str]) -> tuple[bool, dict[str, int]]:
    counts = {}
    for url in variants:
        _ms, status, queries, _captured = _timed_get(client, url)
        if status != 200:
            raise RuntimeError(f"GET {url} answered {status}")
        counts[url] = queries
    return len(set(counts.values())) == 1, counts


def measure_pages(bench: Bench) -> Measurement:
    m = Measurement("pages", "4. pages: server time per request as a supervisor")
    from employers.filters import EmployerFilter
    from employers.models import Unit

    from .measures import _ensure_ratings  # here: measures lists this measurement

    _ensure_ratings(bench)
    client = _supervisor_client()
    units = list(Unit.objects.annotate(n=Count("employers")).order_by("-n"))
    missing: list[str] = []

    # Employer list by unit (and level, where the list offers that filter).
    base = reverse("employers:list")
    has_level = "level" in EmployerFilter.base_filters
    level = "&level=C" if has_level else ""
    urls = [f"{base}?unit={u.pk}{level}" for u in units]
    result = _run_page(client, urls, bench.requests)
    _page_figures(m, "list", result, bench)
    if not has_level:
        m.lines.append("list: the employer list has no level filter yet; measured by unit only")
    big, small = units[0].pk, units[-1].pk
    # The same filter on more or fewer rows, with bigger pages or deeper: same statements.
    stable, counts = _query_counts_stable(
        client,
        [
            f"{base}?unit={big}{level}&per_page=10",
            f"{base}?unit={big}{level}&per_page=100",
            f"{base}?unit={big}&page=20",
            f"{base}?unit={small}{level}",
            f"{base}?unit={small}",
        ],
    )
    m.figures["list_queries_stable"] = stable
    m.lines.append(f"list: queries by page size, page and unit size: {counts}")

    # The whole district, first page: what a supervisor sees on opening the list.
    result = _run_page(client, [base], bench.requests)
    _page_figures(m, "list_all", result, bench)

    # Name search (a substring of the name, as users type it).
    words = ["精工", "华宇", "物流", "超市", "天成", "汽车配件"]
    result = _run_page(client, [f"{base}?q={quote(word)}" for word in words], bench.requests)
    _page_figures(m, "search", result, bench)

    # Watchlist.
    watchlist = _url("planning:watchlist")
    if watchlist is None:
        missing.append("watchlist")
    else:
        urls = [watchlist]  # what a supervisor opens: the whole district, first page
        result = _run_page(client, urls, bench.requests)
        _page_figures(m, "watchlist", result, bench)
        stable, counts = _query_counts_stable(
            client,
            [
                f"{watchlist}?unit={big}&per_page=10",
                f"{watchlist}?unit={big}&per_page=100",
                f"{watchlist}?unit={small}",
            ],
        )
        m.figures["watchlist_queries_stable"] = stable
        m.lines.append(f"watchlist: queries by page size and unit size: {counts}")

    # Patrols due (not a target of the issue, but a city-wide list over every employer).
    patrols_due = _url("planning:patrols_due")
    if patrols_due is not None:
        # Fewer requests: it is not one of the pages and takes seconds at 1M.
        result = _run_page(client, [patrols_due], min(bench.requests, 10))
        _page_figures(m, "patrols_due", result, bench)

    # Employer page: the employers with the most records (the heaviest pages).
    busiest = list(
        Employer.objects.annotate(n=Count("cases"))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .values_list("credit_code", flat=True)[: bench.requests]
    ) or list(Employer.objects.values_list("credit_code", flat=True)[: bench.requests])
    urls = [reverse("employers:detail", kwargs={"credit_code": code}) for code in busiest]
    result = _run_page(client, urls, bench.requests)
    _page_figures(m, "employer", result, bench)
    m.lines.append(
        f"employer page: queries over {len(urls)} employers with 1 to many cases: "
        f"{sorted(result.queries)}"
    )

    # Coverage dashboard.
    dashboard = _url("supervision:dashboard")
    if dashboard is None:
        missing.append("coverage dashboard")
    else:
        result = _run_page(client, [dashboard], bench.requests)
        _page_figures(m, "coverage", result, bench)
    if missing:
        m.note = "not built yet: " + ", ".join(missing)
    return m
