"""RatingHistory.cause gets its choices (the causes stored so far); no data change."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ratings', '0005_move_planning_and_partners'),
    ]

    operations = [
        migrations.AlterField(
            model_name='ratinghistory',
            name='cause',
            field=models.CharField(blank=True, choices=[('case_changed', 'Case record changed'), ('case_deleted', 'Case record deleted'), ('employer_added', 'Employer added'), ('roster_import', 'Roster import'), ('case_import', 'Case ledger import'), ('time', 'Time passed (daily sweep)'), ('full', 'Full re-rating'), ('command', 'Re-rated by command'), ('demo', 'Demo data')], max_length=60, verbose_name='cause'),
        ),
    ]
