"""Celery tasks of the rating engine: thin, each calls one service and is safe to run twice."""

from celery import shared_task

from . import services


@shared_task(name="ratings.ratings_rerate_due")
def ratings_rerate_due() -> str:
    """The daily sweep: rerate the employers whose next-change date has come (beat schedule).

    Running it twice on a day changes nothing the second time."""
    return services.ratings_rerate_due().line
