"""Settings read from the environment.

Deployment values come only from environment variables; nothing secret is hard-coded.
``DJANGO_DEBUG=1`` is the zero-setup development mode used by ``make run``.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-only-used-with-DJANGO_DEBUG"
    elif os.environ.get("XIQING_COMMAND_LINE") == "1":
        # manage.py commands (imports, rerate, exports, add_user) sign nothing that outlives the
        # process, so scripts may run them without the key; the serving processes (gunicorn,
        # celery) never set this and refuse to start below.
        SECRET_KEY = secrets.token_urlsafe(50)
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it in the environment, "
            "or set DJANGO_DEBUG=1 for a local development server."
        )
# Key rotation: the previous keys, comma-separated, keep sessions and signed links valid while the
# new DJANGO_SECRET_KEY takes over (docs/operations.md). Remove them after SESSION_COOKIE_AGE.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "simple_history",
    "rest_framework",
    "rest_framework_api_key",
    "axes",
    "core",
    "imports",
    "employers",
    "inspections",
    "complaints",
    "ratings",
    "planning",
    "partners",
    "supervision",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "xiqing_credit.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xiqing_credit.urls"
WSGI_APPLICATION = "xiqing_credit.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xiqing_credit.context_processors.navigation",
                "supervision.context_processors.scheduler_health",
                "core.context_processors.calendar_banner",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_SECONDS", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login throttling: five failures per user name and address lock out for an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "xiqing_credit.security.client_ip"
# Reverse proxies in front of gunicorn that append to X-Forwarded-For (0: none, use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "xiqing_credit.storage.StaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# Evidence files and import reports: outside the static root, served only through
# permission-checked views, never by the web server directly.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
SPREADSHEET_MAX_UPLOAD_BYTES = int(os.environ.get("SPREADSHEET_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))
# Bounded reading of uploaded workbooks (docs/roster-import.md, "Limits"): what a file may expand
# to, how compressible a part may be, rows and cells read; columns past the limit are ignored.
SPREADSHEET_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("SPREADSHEET_MAX_UNCOMPRESSED_BYTES", 300 * 1024 * 1024)
)
SPREADSHEET_MAX_RATIO = int(os.environ.get("SPREADSHEET_MAX_RATIO", 200))
SPREADSHEET_MAX_ROWS = int(os.environ.get("SPREADSHEET_MAX_ROWS", 1_048_576))
SPREADSHEET_MAX_COLUMNS = int(os.environ.get("SPREADSHEET_MAX_COLUMNS", 50))
SPREADSHEET_MAX_CELLS = int(os.environ.get("SPREADSHEET_MAX_CELLS", 10_000_000))
# An import whose worker has not reported for this long is marked failed (and may be retried).
IMPORT_STALE_AFTER_SECONDS = int(os.environ.get("IMPORT_STALE_AFTER_SECONDS", 300))
# Run import jobs in a thread of the web process instead of Celery (browser tests only).
IMPORT_JOBS_IN_THREAD = env_bool("IMPORT_JOBS_IN_THREAD", default=False)

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Keep the LOGGING below (with its personal-data filter) in worker and beat processes.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Development without Redis (make run): tasks run in the web process.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=DEBUG)

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "xiqing-credit@localhost")

DJANGO_TABLES2_TEMPLATE = "core/lists/table.html"
# Columns and filters the apps above add to the employer list (employers/registry.py).
EMPLOYER_LIST_EXTENSIONS = ["ratings.registry.employer_list_extension"]
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework_api_key.permissions.HasAPIKey"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": "600/hour"},
    "UNAUTHENTICATED_USER": None,
}

# Production hardening: on whenever DEBUG is off.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

# Everything the pages load is vendored under static/: only this origin. Scripts come only from
# files (static/js, no inline script or on* handler: an injected <script> does not run); inline
# styles stay allowed for htmx's indicator styles and style="" attributes.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), payment=(), usb=()"

# Every handler masks phone and resident ID numbers (xiqing_credit/logging.py). django.server
# (runserver's request lines, which include query strings) goes through the same handler.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "xiqing_credit.logging.PersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["personal_data"],
            "formatter": "plain",
        }
    },
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# --- composition ---
# The employer page's panels and the demo seeders, each one ordered list in one file.
EMPLOYER_PAGE_PANELS = "xiqing_credit.panels.EMPLOYER_PANELS"
DEMO_SEEDERS = "xiqing_credit.demo.DEMO_SEEDERS"

# --- documents ---
# The issuing authority printed at the head of every letter (notices, decisions, orders).
BUREAU_NAME = os.environ.get("BUREAU_NAME", "天津市西青区人力资源和社会保障局")

# --- ratings ---
# Evaluation window of the rating rules, in months, and the rule-set version stored with each
# rating.
RATING_WINDOW_MONTHS = int(os.environ.get("RATING_WINDOW_MONTHS", "12"))
RATING_RULESET_VERSION = "2018-25.1"
# Worker processes the daily sweep spreads over (Celery group of id ranges, like
# `rerate --all --workers N`); 0 or 1: the sweep rates the due employers in the one task.
RERATE_SWEEP_WORKERS = int(os.environ.get("RERATE_SWEEP_WORKERS", "0"))

# --- 双随机、一公开 random inspection draws (planning/draws.py) ---
# Share of employers drawn per level unless the supervisor changes it for a draw.
DRAW_DEFAULT_SHARES = {"C": 1.0, "B": 0.2, "A": 0.05}
# Working days after the draw by which its results must be published (bureau's choice).
DRAW_PUBLISH_WORKDAYS = int(os.environ.get("DRAW_PUBLISH_WORKDAYS", "20"))

# --- the rating's procedure (notice, objection, final listing; docs/ratings.md) ---
# Working days after the level changed by which the notice must be served (bureau's choice).
NOTICE_DUE_WORKDAYS = int(os.environ.get("NOTICE_DUE_WORKDAYS", "10"))
# Working days after service within which the employer may object (bureau's choice).
OBJECTION_PERIOD_WORKDAYS = int(os.environ.get("OBJECTION_PERIOD_WORKDAYS", "15"))
# Working days after receipt within which an objection is decided (bureau's choice).
OBJECTION_DECISION_WORKDAYS = int(os.environ.get("OBJECTION_DECISION_WORKDAYS", "15"))
NOTICE_NUMBER_PREFIX = os.environ.get("NOTICE_NUMBER_PREFIX", "西青人社信告")
OBJECTION_NUMBER_PREFIX = os.environ.get("OBJECTION_NUMBER_PREFIX", "西青人社信复")
# Where objections are made, as the letters name it (default: the bureau itself).
OBJECTION_PLACE = os.environ.get("OBJECTION_PLACE", "")
# Partner departments get a C only once it is final (国办发〔2020〕49号): each rule can be
# switched off.
PARTNER_REQUIRE_NOTICE_SERVED = os.environ.get("PARTNER_REQUIRE_NOTICE_SERVED", "1") == "1"
PARTNER_REQUIRE_OBJECTION_PERIOD_PASSED = (
    os.environ.get("PARTNER_REQUIRE_OBJECTION_PERIOD_PASSED", "1") == "1"
)
# The rule set in force until an admin switches it (ratings.rules.RULE_SETS; docs/ratings.md).
RATING_RULESET = os.environ.get("RATING_RULESET", "xiqing-2018")
# Credit repair (信用修复): the least time, in months, a clause must have held before a repair
# can be granted (bureau's choice; docs/ratings.md). C2, C3 and N3 end when remedied instead.
RATING_REPAIR_MIN_MONTHS = {
    "C1": 6,
    "C4": 3,
    "C5": 6,
    "C6": 6,
    "C7": 12,
    "N1": 6,
    "N2": 6,
}
REPAIR_NUMBER_PREFIX = os.environ.get("REPAIR_NUMBER_PREFIX", "西青人社信修")
ORDER_NUMBER_PREFIX = os.environ.get("ORDER_NUMBER_PREFIX", "西青人社监令")
DECISION_NUMBER_PREFIX = os.environ.get("DECISION_NUMBER_PREFIX", "西青人社监决")

# --- supervision ---
COVERAGE_MIN_NEW_EMPLOYERS = int(os.environ.get("COVERAGE_MIN_NEW_EMPLOYERS", "5"))
# Share (percent) of active employers whose record was verified in the last 12 months.
COVERAGE_MIN_VERIFIED_PERCENT = int(os.environ.get("COVERAGE_MIN_VERIFIED_PERCENT", "90"))
# Admins see a banner when the scheduler has not beaten for this long.
SCHEDULER_STALE_MINUTES = int(os.environ.get("SCHEDULER_STALE_MINUTES", "15"))
# Address of the site for links in e-mails (no request to build them from in a worker).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

SITE_TITLE = _("Xiqing labour-security compliance credit")
