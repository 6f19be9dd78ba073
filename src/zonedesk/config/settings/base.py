"""Settings shared by every environment. Everything that differs per machine comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # src/zonedesk


def data_dir() -> Path:
    """Where the embedded database and uploads live (``ZONEDESK_DATA_DIR``, default ``./var``)."""
    return Path(os.environ.get("ZONEDESK_DATA_DIR", "var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = data_dir()
SECRET_KEY = os.environ.get("ZONEDESK_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ZONEDESK_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "zonedesk.core",
    "zonedesk.access",
    "zonedesk.geo",
    "zonedesk.enterprises",
    "zonedesk.projects",
    "zonedesk.web",
    "zonedesk.dispatch",
    "zonedesk.ledgerio",
    "zonedesk.intake",
]

MIDDLEWARE = [
    "zonedesk.core.middleware.RequestContextMiddleware",  # first: every log line of a request has its id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zonedesk.core.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "zonedesk.core.middleware.RequestActorMiddleware",
]

ROOT_URLCONF = "zonedesk.config.urls"
WSGI_APPLICATION = "zonedesk.config.wsgi.application"
AUTH_USER_MODEL = "access.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zonedesk.web.context.navigation",
                "zonedesk.web.context.saved_views",
            ],
        },
    },
]


def database_from_env() -> dict:
    """``DATABASE_URL`` picks PostgreSQL for multi-user installs; otherwise the embedded SQLite file."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "zonedesk.sqlite3"),
        # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN, so two
        # writers queue on the busy timeout instead of failing with "database is locked" mid-way.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
    }


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Chinese unless the person chose English (one click in the top bar: the language cookie, and the
# user's own setting once logged in). The browser's Accept-Language is never consulted: an office PC
# set to English still gets Chinese (core.middleware.LanguageMiddleware, not Django's LocaleMiddleware).
# Chinese is the source language: msgids are the Chinese strings; each app keeps its English catalogue
# in <app>/locale/en/LC_MESSAGES/django.po, compiled to django.mo beside it (committed).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS: list = []  # catalogues live in each app's locale/ directory

STATIC_URL = "/static/"
# Served from the package by WhiteNoise (finders); production collects them to STATIC_ROOT.
STATIC_ROOT = None
MEDIA_ROOT = DATA_DIR / "media"
# Static files are served by WhiteNoise from the installed package, so a laptop needs no web server.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# CJK fonts for the bulletins (dispatch/fonts.py): a path to a font file, or None (the default) to look
# for one: matplotlib's font manager (Noto Sans CJK SC, Droid Sans Fallback, Microsoft YaHei, SimHei,
# SimSun…, so Windows' own fonts are found), then Debian's font paths. The PDF needs TrueType outlines
# (reportlab embeds no CFF/OpenType-PS font such as Noto Sans CJK); the charts take either kind.
ZONEDESK_PDF_FONT = os.environ.get("ZONEDESK_PDF_FONT") or None
ZONEDESK_CHART_FONT = os.environ.get("ZONEDESK_CHART_FONT") or None

# Accounts (zonedesk.access.conf reads these; README "Security → administrators (三员分立) and accounts").
# ZONEDESK_ACCOUNT_INACTIVE_DAYS: an account not used for this many days (no sign-in since, or never since it
# was created) is disabled by `zonedesk accounts disable-stale` (a daily job). 0 turns it off.
# ZONEDESK_REFUSE_DEMO_PASSWORD: refuse every sign-in with the demo's password and fail the system check
# while a demo account still has it (on in the production settings).
ZONEDESK_ACCOUNT_INACTIVE_DAYS = int(os.environ.get("ZONEDESK_ACCOUNT_INACTIVE_DAYS", "90"))
ZONEDESK_REFUSE_DEMO_PASSWORD = False

# Every change-logged model must be saved inside an actor context (zonedesk.core.audit).
ZONEDESK_REQUIRE_ACTOR = True
ZONEDESK_PAGE_SIZE = 50

# Logs: one JSON object per line on stderr (python-json-logger), for whatever collects a server's
# output; ZONEDESK_LOG_FORMAT=text gives readable lines on a developer's console. Lines logged during
# a request carry its request_id, user and route (core.logs); events are named in the message
# ("import.applied", "login.failed") with their fields beside it. zonedesk's own loggers log from
# ZONEDESK_LOG_LEVEL (default INFO: the events), libraries from WARNING.
LOG_FORMAT = os.environ.get("ZONEDESK_LOG_FORMAT", "json").strip().lower()
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"ZONEDESK_LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "zonedesk.core.logs.RequestContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "timestamp": "time",  # ISO 8601 in UTC, with microseconds
            "rename_fields": {"levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        },
        "text": {
            "()": "zonedesk.core.logs.TextFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "zonedesk.core.logs.StderrHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"zonedesk": {"level": os.environ.get("ZONEDESK_LOG_LEVEL", "INFO").upper()}},
}

# Mail (the dispatch reminders of missing reports). Development prints each mail to the console; tests
# keep them in memory; production sets SMTP from the environment (production.py). No secrets here.
EMAIL_BACKEND = os.environ.get("ZONEDESK_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("ZONEDESK_FROM_EMAIL", "zonedesk@localhost")
# Where the site is, for links in mails (e.g. https://zonedesk.example.gov.cn); empty: links are paths.
ZONEDESK_SITE_URL = os.environ.get("ZONEDESK_SITE_URL", "")
