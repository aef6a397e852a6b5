"""PatrolInterval and training move to the planning app, the partner keys and their access
log to the partners app. Their tables keep their names (``Meta.db_table``), so this only takes
them out of the ratings app's state: no table or row changes. planning/0001 and partners/0001
put them back in the state of their new apps."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('ratings', '0004_history_yearly_evaluation'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='historicalpartnerkey',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalpatrolinterval',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicaltrainingattendance',
                    name='employer',
                ),
                migrations.RemoveField(
                    model_name='historicaltrainingattendance',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicaltrainingattendance',
                    name='session',
                ),
                migrations.RemoveField(
                    model_name='historicaltrainingsession',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='historicaltrainingsession',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='partneraccess',
                    name='key',
                ),
                migrations.DeleteModel(
                    name='PatrolInterval',
                ),
                migrations.RemoveField(
                    model_name='trainingattendance',
                    name='employer',
                ),
                migrations.RemoveField(
                    model_name='trainingattendance',
                    name='session',
                ),
                migrations.RemoveField(
                    model_name='trainingsession',
                    name='created_by',
                ),
                migrations.DeleteModel(
                    name='HistoricalPartnerKey',
                ),
                migrations.DeleteModel(
                    name='HistoricalPatrolInterval',
                ),
                migrations.DeleteModel(
                    name='HistoricalTrainingAttendance',
                ),
                migrations.DeleteModel(
                    name='HistoricalTrainingSession',
                ),
                migrations.DeleteModel(
                    name='PartnerAccess',
                ),
                migrations.DeleteModel(
                    name='PartnerKey',
                ),
                migrations.DeleteModel(
                    name='TrainingAttendance',
                ),
                migrations.DeleteModel(
                    name='TrainingSession',
                ),
            ],
            database_operations=[],
        ),
    ]
