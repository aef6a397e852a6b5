# ImportBatch now lives in the imports app, on the same table: remove it from this app's state
# only (imports.0001 took it over); no table or row is touched.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("employers", "0004_list_order_indexes"),
        ("imports", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ImportBatch")],
            database_operations=[],
        ),
    ]
