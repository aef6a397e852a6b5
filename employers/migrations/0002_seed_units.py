from django.db import migrations

from employers.units import XIQING_UNITS


def seed_units(apps, schema_editor):
    Unit = apps.get_model("employers", "Unit")
    for code, name, kind in XIQING_UNITS:
        Unit.objects.update_or_create(code=code, defaults={"name": name, "kind": kind})


def seed_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ("inspector", "supervisor", "admin"):
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("employers", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        migrations.RunPython(seed_units, migrations.RunPython.noop),
        migrations.RunPython(seed_groups, migrations.RunPython.noop),
    ]
