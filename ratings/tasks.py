"""Celery tasks of the rating engine: thin, each calls one service and is safe to run twice."""

from celery import shared_task
from django.conf import settings

from . import services


@shared_task(name="ratings.ratings_rerate_due")
def ratings_rerate_due() -> str:
    """The daily sweep: rerate the employers whose next-change date has come (beat schedule).

    Running it twice on a day changes nothing the second time. With ``RERATE_SWEEP_WORKERS``
    above 1 the employers are spread over the workers as ranges of one run (services.fanout)."""
    if settings.RERATE_SWEEP_WORKERS > 1:
        from .services import fanout

        return fanout.rerate_due_fanned_out(workers=settings.RERATE_SWEEP_WORKERS)
    return services.ratings_rerate_due().line


@shared_task(name="ratings.rerate_range", acks_late=True)
def rerate_range_task(run_id: int, low: int, high: int) -> str:
    """One chunk of a fanned-out rerate (services.fanout): the employers with ids low..high.
    Idempotent: a redelivered chunk rerates nothing twice (the prefilter leaves it out)."""
    from .services import fanout

    try:
        return fanout.rerate_range(run_id=run_id, low=low, high=high).line
    except Exception as error:
        fanout.rerate_run_failed(run_id=run_id, error=repr(error))
        raise
