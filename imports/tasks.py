"""Celery tasks of the imports app: thin wrappers that take a batch id and call ``jobs``.

Safe to run twice: each job starts with a conditional state change, so a second delivery of
the same message (acks_late after a worker restart) finds the batch moved on and does nothing.
Errors are not retried here: a failed batch shows a "try again" button instead.
"""

from celery import shared_task

from . import jobs

# The write of a large file runs longer than the default soft limit allows a request; the
# heartbeat, not the time limit, tells a dead worker from a slow one.
LIMITS = {"soft_time_limit": 55 * 60, "time_limit": 60 * 60}


@shared_task(name="imports.import_validate", **LIMITS)
def import_validate(batch_id: int) -> None:
    jobs.validate(batch_id)


@shared_task(name="imports.import_write", **LIMITS)
def import_write(batch_id: int) -> None:
    jobs.write(batch_id)


@shared_task(name="imports.imports_fail_stale")
def imports_fail_stale() -> int:
    return jobs.fail_stale()
