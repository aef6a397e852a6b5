"""The demo district's seeders in the order they run: one list, one file.

``seed_demo`` (employers app) creates the units' employers and the demo users, then calls each
seeder below with one shared random generator; a seeder returns a one-line summary and must be
idempotent (``make run`` seeds every time it starts). ``settings.DEMO_SEEDERS`` points here.
"""

DEMO_SEEDERS: list[str] = [
    "inspections.demo.seed_inspections",  # patrols, written reviews, cases
    "complaints.demo.seed_complaints",  # complaints, some accepted into cases
    "ratings.demo.seed_early_warnings",  # open cases due in the next days, before the rating
    "ratings.demo.seed_ratings",  # rates whatever the seeders above left unrated or stale
    "planning.demo.seed_training",  # training of C employers, once the ratings exist
    "supervision.demo.seed_coverage",  # last: the coverage checks read every record above
]
