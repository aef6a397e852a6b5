from django.db import migrations


def seed_intervals(apps, schema_editor):
    PatrolInterval = apps.get_model("ratings", "PatrolInterval")
    for level, months in (("A", 24), ("B", 12), ("C", 3)):
        PatrolInterval.objects.get_or_create(level=level, defaults={"months": months})


class Migration(migrations.Migration):
    dependencies = [("ratings", "0001_initial")]

    operations = [migrations.RunPython(seed_intervals, migrations.RunPython.noop)]
