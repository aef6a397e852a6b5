# The ImportBatch model moves here from employers; its table (employers_importbatch) stays
# where it is, with its rows: this migration changes the state only.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("employers", "0004_list_order_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportBatch",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[("roster", "Employer roster"), ("cases", "Case ledger")],
                                max_length=10,
                                verbose_name="kind",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("preview", "Previewed"),
                                    ("committed", "Imported"),
                                    ("failed", "Failed"),
                                ],
                                default="preview",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        ("file_name", models.CharField(max_length=255, verbose_name="file name")),
                        (
                            "upload",
                            models.FileField(
                                blank=True, upload_to="imports/%Y/%m/", verbose_name="uploaded file"
                            ),
                        ),
                        (
                            "report",
                            models.FileField(
                                blank=True,
                                upload_to="import-reports/%Y/%m/",
                                verbose_name="rejected rows report",
                            ),
                        ),
                        ("created", models.PositiveIntegerField(default=0, verbose_name="created")),
                        ("updated", models.PositiveIntegerField(default=0, verbose_name="updated")),
                        (
                            "unchanged",
                            models.PositiveIntegerField(default=0, verbose_name="unchanged"),
                        ),
                        (
                            "rejected",
                            models.PositiveIntegerField(default=0, verbose_name="rejected"),
                        ),
                        ("message", models.TextField(blank=True, verbose_name="message")),
                        (
                            "details",
                            models.JSONField(blank=True, default=dict, verbose_name="details"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="started at"),
                        ),
                        (
                            "committed_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="committed at"),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="imported by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "import",
                        "verbose_name_plural": "imports",
                        "db_table": "employers_importbatch",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
