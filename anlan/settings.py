"""Anlan settings. Every value that differs between machines comes from an environment variable.

All variables are listed, with defaults, in `.env.example` and `docs/operations.md`.
"""

import ipaddress
import os
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ANLAN_VAR_DIR", BASE_DIR / "var"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean strictly: a value that is not a recognised word stops start-up."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true/false, 1/0, yes/no, on/off)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("ANLAN_DEBUG", False)
SECRET_KEY = env_str("ANLAN_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("ANLAN_SECRET_KEY is required when ANLAN_DEBUG is off")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production-" + "x" * 20

ALLOWED_HOSTS = env_list("ANLAN_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("ANLAN_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "anlan.core",
    "anlan.api",
    "anlan.documents",
    "anlan.hazards",
    "anlan.notifications",
    "anlan.accidents",
    "anlan.inspections",
    "anlan.emergency",
    "anlan.warnings",
    "anlan.governance",
    "anlan.risk",
    "anlan.credit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
    "axes.middleware.AxesMiddleware",
    # Content-Security-Policy on every answer; Cache-Control: no-store for signed-in users and the API.
    "anlan.core.headers.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "anlan.urls"
WSGI_APPLICATION = "anlan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "anlan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "anlan.core.context_processors.anlan",
            ],
            "builtins": ["anlan.core.templatetags.anlan"],
        },
    },
]

# Database: SQLite under var/ by default; a postgres:// URL in DATABASE_URL switches.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'anlan.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("ANLAN_DB_CONN_MAX_AGE", 60))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN so two
        # writers queue on busy_timeout instead of failing with "database is locked" mid-transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Refuses nothing: deletes the user's API token whenever a password change is saved (anlan/api/auth.py).
    {"NAME": "anlan.api.auth.RevokeTokensOnPasswordChange"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failed logins (django-axes, anlan/core/account.py): a user name at one address, and
# an address across user names (a higher limit); the API token endpoint's failures count apart.
AXES_FAILURE_LIMIT = env_int("ANLAN_LOGIN_FAILURE_LIMIT", 5)
ANLAN_LOGIN_ADDRESS_FAILURE_LIMIT = max(env_int("ANLAN_LOGIN_ADDRESS_FAILURE_LIMIT", 50), AXES_FAILURE_LIMIT)
AXES_COOLOFF_TIME = env_int("ANLAN_LOGIN_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "anlan.core.account.LockoutHandler"
AXES_USERNAME_CALLABLE = "anlan.core.account.lockout_username"
AXES_CLIENT_IP_CALLABLE = "anlan.core.account.client_address"
# Reverse proxies (addresses or networks) whose X-Forwarded-For names the client; empty: REMOTE_ADDR is the client.
ANLAN_TRUSTED_PROXIES = env_list("ANLAN_TRUSTED_PROXIES")
for _proxy in ANLAN_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(f"ANLAN_TRUSTED_PROXIES: {_proxy!r} is not an address or network") from exc
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Session: idle timeout, renewed on every request.
SESSION_COOKIE_AGE = env_int("ANLAN_SESSION_TIMEOUT_MINUTES", 120) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("ANLAN_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)

# HTTPS hardening. On by default whenever DEBUG is off; `make run` turns it off for plain
# http://127.0.0.1 and a reverse proxy that terminates TLS turns it on.
HTTPS = env_bool("ANLAN_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("ANLAN_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("ANLAN_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("ANLAN_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "anlan" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("ANLAN_STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "anlan" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("ANLAN_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
ANLAN_IMPORT_MAX_BYTES = env_int("ANLAN_IMPORT_MAX_MB", 20) * 1024 * 1024
ANLAN_IMPORT_MAX_ROWS = env_int("ANLAN_IMPORT_MAX_ROWS", 20000)
# An import of more rows runs as a background job (core/importing.py); smaller ones in the request.
ANLAN_IMPORT_JOB_ROWS = env_int("ANLAN_IMPORT_JOB_ROWS", 1000)
# Hazard photos: largest file accepted; reminders this many days before a rectification deadline.
ANLAN_PHOTO_MAX_BYTES = env_int("ANLAN_PHOTO_MAX_MB", 10) * 1024 * 1024
# Uploads (core/uploads.py): largest picture in pixels (decoded and re-encoded), largest PDF attachment.
ANLAN_PHOTO_MAX_PIXELS = env_int("ANLAN_PHOTO_MAX_MEGAPIXELS", 50) * 1_000_000
ANLAN_ATTACHMENT_MAX_BYTES = env_int("ANLAN_ATTACHMENT_MAX_MB", 20) * 1024 * 1024
ANLAN_HAZARD_REMIND_DAYS = env_int("ANLAN_HAZARD_REMIND_DAYS", 3)
# The rectification deadline a form proposes for a hazard, in days after it was found. No law sets a default
# (the deadline is fixed case by case); 15 days is local practice, and the person registering may change it.
ANLAN_RECTIFICATION_DAYS = env_int("ANLAN_RECTIFICATION_DAYS", 15)
# 双随机、一公开 (regulations.md §8): a draw's results are published within this many days of the end of its
# inspection; whether they are working days (the kernel's calendar) or calendar days is unconfirmed.
ANLAN_DRAW_PUBLISH_DAYS = env_int("ANLAN_DRAW_PUBLISH_DAYS", 20)
ANLAN_DRAW_PUBLISH_WORKING_DAYS = env_bool("ANLAN_DRAW_PUBLISH_WORKING_DAYS", True)
# Backups (core/backups.py): where they go, how many are kept, where pg_dump/pg_restore are (empty: PATH).
ANLAN_BACKUP_DIR = Path(env_str("ANLAN_BACKUP_DIR", str(VAR_DIR / "backups")))
ANLAN_BACKUP_KEEP = env_int("ANLAN_BACKUP_KEEP", 14)
ANLAN_PG_BIN_DIR = env_str("ANLAN_PG_BIN_DIR", "")

# Background work: Django's tasks API (the django-tasks backport) on the database backend; `manage.py
# anlan_worker` runs the queue, the schedules and the reaper (anlan/core/jobs.py, docs/operations.md).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A ledger export of more rows than this runs as a background job; smaller ones download at once.
ANLAN_EXPORT_JOB_ROWS = env_int("ANLAN_EXPORT_JOB_ROWS", 5000)
# Hours a job's result file stays downloadable.
ANLAN_JOB_RESULT_HOURS = env_int("ANLAN_JOB_RESULT_HOURS", 24)
# A worker silent for this many seconds is dead: the reaper re-queues the jobs it was running.
ANLAN_WORKER_DEAD_SECONDS = env_int("ANLAN_WORKER_DEAD_SECONDS", 60)

EMAIL_BACKEND = env_str("ANLAN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("ANLAN_DEFAULT_FROM_EMAIL", "anlan@localhost")
# SMS gateway for notifications: a class with send(phone, text); the default writes to the log.
ANLAN_SMS_BACKEND = env_str("ANLAN_SMS_BACKEND", "anlan.notifications.sms.LogSmsBackend")
# The site's address as people outside reach it: the warning SMS carry confirmation links under it.
ANLAN_PUBLIC_URL = env_str("ANLAN_PUBLIC_URL", "http://127.0.0.1:8000")
# Minutes a warning recipient has to confirm before the first escalation, per level: "1:15,2:30,3:60,4:120".
ANLAN_WARNING_CONFIRM_MINUTES = {
    int(level): int(minutes)
    for level, _sep, minutes in (
        item.partition(":") for item in env_list("ANLAN_WARNING_CONFIRM_MINUTES", "1:15,2:30,3:60,4:120")
    )
}
# Requests a minute one address may make to the pages open without login (a warning's confirmation link).
ANLAN_LINK_RATE_PER_MINUTE = env_int("ANLAN_LINK_RATE_PER_MINUTE", 30)
# Systems told of every warning issued, changed or lifted (e.g. a broadcast or 预警信息发布 system): URLs that
# receive a signed JSON POST (header X-Anlan-Signature: sha256=HMAC of "timestamp.body" with the secret).
ANLAN_WARNING_WEBHOOKS = env_list("ANLAN_WARNING_WEBHOOKS", "")
ANLAN_WARNING_WEBHOOK_SECRET = env_str("ANLAN_WARNING_WEBHOOK_SECRET", "")
# Monitoring systems of 两重点一重大 enterprises that push alarms (POST /warnings/alarms/webhook/<source>/):
# "source:secret" pairs, comma-separated; each call is signed with its source's secret (HMAC-SHA256 of
# "timestamp.body") and accepted within ANLAN_ALARM_WEBHOOK_WINDOW_SECONDS of its timestamp.
ANLAN_ALARM_WEBHOOK_SECRETS: dict[str, str] = {}
for _entry in env_list("ANLAN_ALARM_WEBHOOK_SECRETS", ""):
    _source, _sep, _secret = (part.strip() for part in _entry.partition(":"))
    if not (_sep and _source and _secret):
        raise ImproperlyConfigured(f"ANLAN_ALARM_WEBHOOK_SECRETS entry {_source!r} is not source:secret")
    ANLAN_ALARM_WEBHOOK_SECRETS[_source] = _secret
ANLAN_ALARM_WEBHOOK_WINDOW_SECONDS = env_int("ANLAN_ALARM_WEBHOOK_WINDOW_SECONDS", 300)
# The sender of the CAP 1.2 alerts Anlan writes (an address-like name unique to this installation); the
# identifiers are "<sender>.<warning>.<revision>".
ANLAN_CAP_SENDER = env_str(
    "ANLAN_CAP_SENDER", "anlan@" + (urlparse(ANLAN_PUBLIC_URL).hostname or "localhost")
)

# Map tiles are optional; without a URL the maps show coordinates on a plain background.
ANLAN_MAP_TILE_URL = env_str("ANLAN_MAP_TILE_URL", "")
ANLAN_SITE_NAME = env_str("ANLAN_SITE_NAME", "安澜 · 安全生产监管与应急管理平台")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so that an unauthenticated call gets 401 with a WWW-Authenticate header.
        "anlan.api.auth.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "anlan.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "anlan.api.filters.FilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "anlan.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env_str("ANLAN_API_RATE", "6000/hour")},
}
# Days an API token lives (POST /api/v1/auth/token/ gives a new one after that); a password change revokes it.
ANLAN_TOKEN_DAYS = env_int("ANLAN_TOKEN_DAYS", 30)
SPECTACULAR_SETTINGS = {
    "TITLE": "Anlan 安澜 API",
    "DESCRIPTION": "安全生产监管与应急管理平台 REST API. Every list and object is limited to the caller's jurisdiction.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name across apps get explicit schema names.
    "ENUM_NAME_OVERRIDES": {
        "AccidentGradeEnum": "anlan.accidents.models.Grade.choices",
        "AccidentReportingLevelEnum": "anlan.accidents.models.Level.choices",
        "AccidentKindEnum": "anlan.accidents.models.AccidentKind.choices",
        "AccidentReportKindEnum": "anlan.accidents.models.ReportKind.choices",
        "ReportingFindingKindEnum": "anlan.accidents.models.FindingKind.choices",
        "InvestigationStatusEnum": "anlan.accidents.models.InvestigationStatus.choices",
        "PreventiveMeasureStatusEnum": "anlan.accidents.models.MeasureStatus.choices",
        "InjurySeverityEnum": "anlan.accidents.models.InjurySeverity.choices",
        # credit: a rating's computed and approved colour share one set
        "RatingColourEnum": "anlan.credit.models.Colour",
        # hazards' sets that share the names "grade" and "level" with the accidents ones
        "HazardGradeEnum": "anlan.hazards.models.Hazard.Grade",
        "SupervisionLevelEnum": "anlan.hazards.models.Supervision.Level",
        # inspections: an inspection's result and a checklist answer's result
        "InspectionResultEnum": "anlan.inspections.models.Inspection.Result",
        "AnswerResultEnum": "anlan.inspections.models.Answer.Result",
        # hazards' category and the emergency materials' category; a duty roster's status among the others
        "HazardCategoryEnum": "anlan.hazards.models.Hazard.Category",
        "DutyRosterStatusEnum": "anlan.emergency.models.DutyRoster.Status",
        # a warning's level 一级–四级 beside the other "level" sets
        "WarningLevelEnum": "anlan.warnings.rules.LEVELS",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("ANLAN_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
