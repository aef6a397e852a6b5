"""Settings for the benchmark: the production settings, plus what the test client and a
single-process run need. Nothing here makes the code under test faster than in production."""

import os
from pathlib import Path

# The production code path: DEBUG off (DEBUG would also keep every SQL string in memory).
os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

from xiqing_credit.settings.base import *  # noqa: F403
from xiqing_credit.settings.base import BASE_DIR, DATABASES, INSTALLED_APPS

BENCH_OUT = Path(os.environ.get("BENCH_OUT", BASE_DIR / "bench" / "out"))

if not os.environ.get("DATABASE_URL"):
    # Never the development database: without DATABASE_URL the benchmark has its own file.
    BENCH_OUT.mkdir(parents=True, exist_ok=True)
    DATABASES["default"] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BENCH_OUT / "bench.sqlite3",
        "CONN_MAX_AGE": 0,
    }

# The test client speaks plain HTTP to "testserver".
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# collectstatic has not run: templates resolve static URLs without the manifest.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BENCH_OUT / "media"
# Tasks queued on commit run in this process, so their cost is part of what is measured.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
AXES_ENABLED = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# The comparison import (django-import-export) is a development dependency only.
try:
    import import_export  # noqa: F401

    INSTALLED_APPS = [*INSTALLED_APPS, "import_export"]
except ImportError:
    pass
