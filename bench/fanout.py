"""Measurement 2b: the first rating of every employer fanned out over 1 and then 2 Celery worker
processes (``celery -A xiqing_credit worker -c 1`` each, started here as subprocesses against
Redis), on the same data. PostgreSQL and a reachable Redis only.

The benchmark's tasks go to a queue of their own on a Redis database of their own, so no
other worker on the machine takes them (and rates another database).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

from .measures import Bench, settle
from .metrics import Measurement, Target

ROOT = Path(__file__).resolve().parent.parent
BROKER = os.environ.get("BENCH_CELERY_BROKER_URL", "redis://127.0.0.1:6379/11")
READY_TIMEOUT_S = 120


def _queue() -> str:
    return f"bench-rerate-{connection.settings_dict['NAME']}"


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(BROKER, socket_connect_timeout=2).ping())
    except Exception:  # no Redis: the measurement says so
        return False


def _start_workers(count: int, log: Path) -> list[subprocess.Popen]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "CELERY_BROKER_URL": BROKER,
    }
    celery = str(Path(sys.executable).with_name("celery"))
    workers = []
    for n in range(count):
        command = [celery, "-A", "xiqing_credit", "worker", "-c", "1", "-Q", _queue()]
        command += ["-n", f"bench{n}-{os.getpid()}@%h", "-l", "INFO", "--without-gossip"]
        handle = open(log.with_suffix(f".{n}.log"), "w")  # noqa: SIM115 - closed with the process
        workers.append(
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
        )
    deadline = time.monotonic() + READY_TIMEOUT_S
    for n in range(count):
        path = log.with_suffix(f".{n}.log")
        while "ready." not in path.read_text(errors="replace"):
            if time.monotonic() > deadline or workers[n].poll() is not None:
                _stop(workers)
                raise RuntimeError(f"worker {n} did not start: {path.read_text()[-500:]}")
            time.sleep(0.5)
    return workers


def _stop(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


def _clear_ratings() -> None:
    from ratings.models import Rating, RatingHistory

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {RatingHistory._meta.db_table}, {Rating._meta.db_table} CASCADE")


def _run(workers: int, log: Path) -> tuple[float, object]:
    from ratings.services import fanout

    _clear_ratings()
    processes = _start_workers(workers, log)
    try:
        started = time.perf_counter()
        run = fanout.rerate_run_start(workers=workers, cause="full")
        run = fanout.rerate_run_wait(run, poll_seconds=0.2)
        return time.perf_counter() - started, run
    finally:
        _stop(processes)


def measure_rerate_fanout(bench: Bench) -> Measurement:
    m = Measurement("rerate_fanout", "2b. first rating fanned out over 1 and 2 Celery workers")
    if connection.vendor != "postgresql":
        return m.missing("PostgreSQL only (workers share the database)")
    if not _redis_up():
        return m.missing(f"no Redis at {BROKER}")
    from ratings.models import Rating, RatingHistory
    from xiqing_credit.celery import app

    app.conf.task_always_eager = False
    app.conf.broker_url = BROKER
    app.conf.task_routes = {"ratings.rerate_range": {"queue": _queue()}}
    log = bench.out / "fanout-worker.log"
    try:
        one_s, one = _run(1, log)
        settle(Rating, RatingHistory)
        two_s, two = _run(2, log)
        settle(Rating, RatingHistory)
    finally:
        app.conf.task_always_eager = True
    for run in (one, two):
        if run.failed:
            m.status = "failed"
            m.note = f"run {run.pk} failed: {run.error[:200]}"
    m.figures.update(
        one_worker_s=round(one_s, 2),
        two_workers_s=round(two_s, 2),
        speedup=round(one_s / two_s, 2) if two_s else None,
        chunks=[one.chunks_total, two.chunks_total],
        rated=[one.rated, two.rated],
        changed=[one.changed, two.changed],
    )
    m.targets.append(Target("two_workers_s", one_s, "s (one worker)"))
    m.lines.append(
        f"first rating: 1 worker {one_s:.1f} s, 2 workers {two_s:.1f} s "
        f"(x{one_s / max(two_s, 1e-9):.2f}) on {os.cpu_count()} cores shared with the database"
    )
    return m
