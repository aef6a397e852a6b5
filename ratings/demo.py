"""Demo data of the rating engine: every demo employer rated."""

import random

from .services import employers_rerate_bulk


def seed_ratings(rng: random.Random) -> str:
    """Rate every employer; the second run finds every rating current and changes nothing."""
    summary = employers_rerate_bulk(cause="demo")
    return f"ratings: {summary.rated} employers rated, {summary.changed} changed"
