"""The Celery app. The one beat schedule of the project lives here.

Broker: Redis from ``CELERY_BROKER_URL`` (defaults to ``REDIS_URL``). Tasks take primary keys,
are queued with ``delay_on_commit`` (never before the row they name is committed), carry their
own time limits and retry on broker errors. Results are stored in the apps' own models (e.g.
``supervision.CoverageRun``), so no result backend is configured.

Run locally: ``make worker`` and ``make beat`` (each in its own terminal, Redis running).
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiqing_credit.settings.base")

app = Celery("xiqing_credit")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Publishing a task retries while Redis is briefly unreachable instead of failing the request.
app.conf.task_publish_retry = True
app.conf.task_publish_retry_policy = {
    "max_retries": 3,
    "interval_start": 0.2,
    "interval_step": 0.5,
    "interval_max": 2,
}

# Times are Asia/Shanghai (CELERY_TIMEZONE, from TIME_ZONE). Each task is safe to run twice.
# Tasks are referenced by name so this file imports no app.
app.conf.beat_schedule = {
    # Time-driven rating changes (a deadline passing, a case leaving the window): rerate --due.
    # The name is the one ratings/tasks.py registers (shared_task(name=...)).
    "ratings-rerate-due": {
        "task": "ratings.ratings_rerate_due",
        "schedule": crontab(minute=0, hour=1),
    },
    # Monthly coverage checks of every unit for the month that just ended.
    "coverage-previous-month": {
        "task": "supervision.tasks.coverage_check_previous_month",
        "schedule": crontab(minute=0, hour=2, day_of_month=1),
    },
    # Each inspector's e-mail of overdue items.
    "daily-digest": {
        "task": "supervision.tasks.digest_send_daily",
        "schedule": crontab(minute=30, hour=7),
    },
    # Imports whose worker stopped heart-beating are marked failed, so they can be retried.
    "imports-fail-stale": {
        "task": "imports.imports_fail_stale",
        "schedule": 5 * 60.0,
        "options": {"expires": 4 * 60},
    },
    # Proof of life for the admins' banner: beat -> broker -> worker -> database.
    "scheduler-heartbeat": {
        "task": "supervision.tasks.scheduler_heartbeat",
        "schedule": 5 * 60.0,
        "options": {"expires": 4 * 60},
    },
}
