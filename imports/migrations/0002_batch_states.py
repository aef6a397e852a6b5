# The batch's status (preview / committed / failed) becomes a state of the import job
# (uploaded ... done, failed, cancelled), with progress and a heartbeat. Existing rows keep
# their meaning: a preview is "previewed", a committed import "done", a failure "failed".

from django.conf import settings
from django.db import migrations, models


OLD_TO_NEW = {"preview": "previewed", "committed": "done", "failed": "failed"}


def states_from_statuses(apps, schema_editor):
    ImportBatch = apps.get_model("imports", "ImportBatch")
    for old, new in OLD_TO_NEW.items():
        ImportBatch.objects.filter(status=old).update(state=new)


def statuses_from_states(apps, schema_editor):
    ImportBatch = apps.get_model("imports", "ImportBatch")
    for old, new in OLD_TO_NEW.items():
        ImportBatch.objects.filter(state=new).update(status=old)
    # Steps the old model did not know: an unfinished import was a preview.
    ImportBatch.objects.filter(state__in=["uploaded", "validating", "previewed"]).update(
        status="preview"
    )
    ImportBatch.objects.filter(state__in=["writing", "cancelled"]).update(status="failed")


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="importbatch",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last heartbeat"),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="options",
            field=models.JSONField(blank=True, default=dict, verbose_name="options"),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="rows_read",
            field=models.PositiveIntegerField(default=0, verbose_name="rows read"),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="rows_total",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="rows (estimate)"
            ),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="rows_validated",
            field=models.PositiveIntegerField(default=0, verbose_name="rows validated"),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="rows_written",
            field=models.PositiveIntegerField(default=0, verbose_name="rows written"),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="state",
            field=models.CharField(
                choices=[
                    ("uploaded", "Uploaded"),
                    ("validating", "Reading"),
                    ("previewed", "Previewed"),
                    ("writing", "Importing"),
                    ("done", "Imported"),
                    ("failed", "Failed"),
                    ("cancelled", "Cancelled"),
                ],
                default="uploaded",
                max_length=12,
                verbose_name="state",
            ),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="step_started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="step started at"),
        ),
        migrations.RunPython(states_from_statuses, statuses_from_states),
        migrations.RemoveField(
            model_name="importbatch",
            name="status",
        ),
        migrations.AddConstraint(
            model_name="importbatch",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "state__in",
                        [
                            "uploaded",
                            "validating",
                            "previewed",
                            "writing",
                            "done",
                            "failed",
                            "cancelled",
                        ],
                    )
                ),
                name="importbatch_state_known",
            ),
        ),
    ]
