"""The Celery app. The one beat schedule of the project lives here."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiqing_credit.settings.base")

app = Celery("xiqing_credit")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Times are Asia/Shanghai (CELERY_TIMEZONE). Each task is safe to run twice.
app.conf.beat_schedule = {}
