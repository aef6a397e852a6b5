"""The next patrol due date stored on the rating (filled by planning/0002)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0006_ratinghistory_cause_choices"),
    ]

    operations = [
        migrations.AddField(
            model_name="rating",
            name="next_patrol_due_on",
            field=models.DateField(blank=True, null=True, verbose_name="next patrol due on"),
        ),
        migrations.AddIndex(
            model_name="rating",
            index=models.Index(fields=["next_patrol_due_on", "employer"], name="rating_patrol_due"),
        ),
    ]
