"""Fill Rating.next_patrol_due_on for the ratings that exist (ratings/0007 added the column).

The same rule as ratings/patrol_due.py, on the historical models: the last patrol, or the day
the level began if not patrolled since, plus the months of the level."""

from django.db import migrations
from django.db.models import Max

from core.dates import add_months

DEFAULTS = {"A": 24, "B": 12, "C": 3}
CHUNK = 5000


def fill(apps, schema_editor) -> None:
    Rating = apps.get_model("ratings", "Rating")
    Patrol = apps.get_model("inspections", "Patrol")
    PatrolInterval = apps.get_model("planning", "PatrolInterval")
    months = dict(DEFAULTS)
    months.update(PatrolInterval.objects.values_list("level", "months"))
    last_id = 0
    while True:
        ratings = list(
            Rating.objects.filter(employer_id__gt=last_id)
            .order_by("employer_id")
            .only("id", "employer_id", "level", "since")[:CHUNK]
        )
        if not ratings:
            return
        ids = [r.employer_id for r in ratings]
        last = dict(
            Patrol.objects.filter(employer_id__in=ids)
            .order_by()
            .values("employer_id")
            .annotate(last=Max("patrolled_on"))
            .values_list("employer_id", "last")
        )
        for rating in ratings:
            patrolled = last.get(rating.employer_id)
            base = max(rating.since, patrolled) if patrolled else rating.since
            rating.next_patrol_due_on = add_months(base, months[rating.level])
        Rating.objects.bulk_update(ratings, ["next_patrol_due_on"], batch_size=1000)
        last_id = ids[-1]


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0001_initial"),
        ("ratings", "0007_rating_next_patrol_due"),
        ("inspections", "0001_initial"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
