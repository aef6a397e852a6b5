"""Work run in several threads at once, each thread on its own database connection."""

import threading
from collections.abc import Callable

from django.db import connections


def run_at_once(
    work: Callable[[], object], threads: int, *, timeout: float | None = None
) -> list[BaseException]:
    """Runs ``work`` in ``threads`` threads started together and waits for them (each at most
    ``timeout`` seconds); returns what they raised. Each thread closes its connections."""
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            work()
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    started = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join(timeout=timeout)
    return errors
