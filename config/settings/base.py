"""Base settings shared by every profile.

Configuration comes from the environment through one ``env`` object
(``DATABASE_URL``, ``CELERY_BROKER_URL``, ``SECRET_KEY``, ``DEBUG``, ``ALLOWED_HOSTS``...).
The defaults are safe for a local run on a developer's machine; ``production`` tightens them.
"""

from pathlib import Path
from urllib.parse import unquote

import environ
from django.utils.translation import gettext_lazy as _

from cooperation import spreadsheets

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

SECRET_KEY = env.str("SECRET_KEY", default="insecure-local-development-key-change-me-0123456789")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# App labels of the apps that hold programme records; the roles are built from this list.
DOMAIN_APP_LABELS = ["cooperation", "projects", "labor", "healthcare", "education", "consumption", "reports"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "django_celery_beat",
    "cooperation",
    "projects",
    "labor",
    "healthcare",
    "education",
    "consumption",
    "indicators",
    "reports",
    "dashboard",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # NULs in paths, query strings, headers and cookies: 404/400 (cookies ignored) before any
    # view, and before the session middleware reads the session cookie.
    "cooperation.middleware.UnstorableTextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Lets django-simple-history attribute every write (admin or API) to its user.
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# With DATABASE_URL set, that server is used; otherwise an embedded PostgreSQL 16 (the PyPI
# package pgserver) is started under var/ and kept running between commands.
EMBEDDED_DATABASE = not env.str("DATABASE_URL", default="")
if not EMBEDDED_DATABASE:
    DATABASES = {"default": env.db_url("DATABASE_URL")}
    # libpq's URI form names a socket directory percent-encoded in the host
    # (postgres://user@%2Fvar%2Frun%2Fpostgresql/db); django-environ leaves it encoded.
    DATABASES["default"]["HOST"] = unquote(DATABASES["default"]["HOST"] or "")
else:
    from cooperation.embedded_db import embedded_database_settings

    DATABASES = {"default": embedded_database_settings(VAR_DIR / "pg")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections (a new one costs ~10 ms and cold caches per request), checked before
# each request reuses them so a restarted database server costs one failed check, not an error.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DATABASES["default"].setdefault("TEST", {})
if env.str("TEST_DATABASE_NAME", default=""):
    # Lets several test runs share one server without trampling each other's database.
    DATABASES["default"]["TEST"]["NAME"] = env.str("TEST_DATABASE_NAME")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's ModelBackend, reading a user's permissions in one query (cooperation.backends).
AUTHENTICATION_BACKENDS = ["cooperation.backends.PermissionBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language ---------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request without it
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "/dashboard/"

# --- Personal data ----------------------------------------------------------------------------
# Key for encrypting resident ID numbers and phones at rest (Fernet, urlsafe base64 of 32 bytes)
# and for their keyed search hash. The default is for local runs only; production demands one.
PERSONAL_DATA_KEY = env.str("PERSONAL_DATA_KEY", default="bG9jYWwtZGV2ZWxvcG1lbnQta2V5LW5vdC1zZWNyZXQ=")

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header turns anonymous requests into 401s.
        "cooperation.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["cooperation.api.permissions.ModelPermissions"],
    # The API speaks JSON only (the contract); files are uploaded through the admin. DRF's
    # JSONParser, answering 400 for bodies nested too deeply or holding NULs/lone surrogates.
    "DEFAULT_PARSER_CLASSES": ["cooperation.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "cooperation.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "cooperation.api.filters.FilterBackend",
        "cooperation.api.filters.StrictOrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "cooperation.api.schema.ProgrammeSchema",
    "EXCEPTION_HANDLER": "cooperation.api.exceptions.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "DATE_FORMAT": "iso-8601",  # YYYY-MM-DD, zero-padded even for years before 1000
    "DATE_INPUT_FORMATS": ["%Y-%m-%d"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "East-West Cooperation Portal API",
    "DESCRIPTION": "System of record of an east-west cooperation programme (东西部协作).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind" or a "status": name each choice set after what it is.
    "ENUM_NAME_OVERRIDES": {
        "ReportKindEnum": "reports.choices.ReportKind",
        "ProjectStatusEnum": "projects.choices.ProjectStatus",
        "ProjectCategoryEnum": "projects.choices.ProjectCategory",
        "FundSourceEnum": "projects.choices.FundSource",
    },
}

# --- Celery -----------------------------------------------------------------------------------
# Without CELERY_BROKER_URL, kombu's filesystem transport under var/ needs no server.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or "filesystem://"
# Separate deployments (or test runs) sharing one Redis each take their own queue.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# A report takes seconds. The hard limit kills a stuck generation (its transaction rolls back,
# which frees the report's row lock); the soft one first lets it record the failure.
CELERY_TASK_TIME_LIMIT = 2 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 100
# Redis: a task delivered to a worker that dies without acknowledging it (SIGKILL, lost host) is
# put back on its queue once it has been unacknowledged this long, by the next sweep of any live
# worker (at its start, then every 10 s). It must exceed the longest a live worker keeps a task
# unacknowledged, a retry's delay (reports.generate: 2 minutes at most) plus the hard time limit,
# or a task still running would be delivered twice: 270 s, so a killed worker's tasks run again
# within about 4.5 minutes (kombu's default: 1 hour). CELERY_VISIBILITY_TIMEOUT overrides it.
BROKER_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=270)
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith(("redis://", "rediss://", "sentinel://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
        # Sweep every 10 s (kombu scans only every 10th call by default: every 100 s).
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
        # The sweep's lock: a worker killed while holding it blocks the others' sweeps this long
        # (kombu's default: 5 minutes).
        "unacked_mutex_expire": 30,
    }
elif CELERY_BROKER_URL.startswith("filesystem://"):
    # No acknowledgement emulation here: a killed worker's message is gone and the report stays
    # pending until the stale-report requeue (reports.requeue_stale) sends it again.
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    for _folder in ("queue", "processed", "control"):
        (VAR_DIR / "celery" / _folder).mkdir(parents=True, exist_ok=True)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- Mail -------------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@localhost")
# The address people open the portal at: the links in e-mails (reminders, reports).
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000")

# --- Spreadsheet import/export ---------------------------------------------------------------
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# .xlsx and .csv; text that a spreadsheet would run as a formula is written as text (.xlsx) or
# with a leading apostrophe that the .csv import removes again (see cooperation/spreadsheets.py).
# The library's own formula escaping stays off: it deletes the leading "=" and stringifies cells.
IMPORT_EXPORT_FORMATS = IMPORT_FORMATS = EXPORT_FORMATS = [spreadsheets.XLSX, spreadsheets.CSV]
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # URLs can carry personal data (an admin search for an ID number, ?search= in the API):
    # every line is passed through the redacting filter before it is written.
    "filters": {"personal_data": {"()": "labor.log_filters.RedactPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["personal_data"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request bodies can hold personal data: never log them (the 400 bodies are ours).
        "django.request": {"level": "ERROR"},
        # runserver's access log, through the redacting handler instead of Django's default one.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
