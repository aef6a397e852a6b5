"""Scheduler health for admins: a banner when beat, the broker or the workers are down.

Beat queues ``supervision.tasks.scheduler_heartbeat`` every 5 minutes and a worker stores the
time; a heartbeat older than SCHEDULER_STALE_MINUTES (or none at all) means one of the three
stopped. Redis being unreachable is reported on its own, since then nothing can be queued.
Nobody but admins pays for the check: one indexed query, and a Redis ping at most once a minute
per process. With CELERY_TASK_ALWAYS_EAGER (development) tasks run in the web process and there
is no scheduler to watch.
"""

import datetime
import threading
import time

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import is_admin

from .models import SchedulerHeartbeat
from .services import HEARTBEAT_NAME

REDIS_PING_TIMEOUT_SECONDS = 0.5
REDIS_PING_CACHE_SECONDS = 60

_ping_lock = threading.Lock()
_ping_cache: dict[str, tuple[float, bool]] = {}


def broker_reachable(url: str) -> bool:
    """Whether Redis answers a PING, remembered for a minute so page views stay fast."""
    now = time.monotonic()
    with _ping_lock:
        cached = _ping_cache.get(url)
        if cached and now - cached[0] < REDIS_PING_CACHE_SECONDS:
            return cached[1]
    try:
        import redis

        client = redis.Redis.from_url(
            url,
            socket_connect_timeout=REDIS_PING_TIMEOUT_SECONDS,
            socket_timeout=REDIS_PING_TIMEOUT_SECONDS,
        )
        try:
            ok = bool(client.ping())
        finally:
            client.close()
    except Exception:
        ok = False
    with _ping_lock:
        _ping_cache[url] = (now, ok)
    return ok


def scheduler_problem(now: datetime.datetime | None = None) -> str:
    """A one-line description of what is wrong with the scheduler, or "" when all is well."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return ""
    if not broker_reachable(settings.CELERY_BROKER_URL):
        return _(
            "The task broker (Redis) cannot be reached: scheduled checks, rating sweeps and "
            "digests are not running."
        )
    now = now or timezone.now()
    beat_at = (
        SchedulerHeartbeat.objects.filter(name=HEARTBEAT_NAME)
        .values_list("beat_at", flat=True)
        .first()
    )
    if beat_at is None:
        return _(
            "The task scheduler has never reported: start the Celery worker and beat "
            "(make worker, make beat)."
        )
    stale_after = datetime.timedelta(minutes=settings.SCHEDULER_STALE_MINUTES)
    if now - beat_at > stale_after:
        minutes = int((now - beat_at).total_seconds() // 60)
        return _(
            "The task scheduler last reported %(minutes)s minutes ago (at %(time)s): the Celery "
            "worker or beat is down."
        ) % {
            "minutes": minutes,
            "time": timezone.localtime(beat_at).strftime("%Y-%m-%d %H:%M"),
        }
    return ""


def scheduler_health(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not is_admin(user):
        return {}
    return {"scheduler_problem": scheduler_problem()}
