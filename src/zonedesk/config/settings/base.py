"""Settings shared by every environment. Everything that differs per machine comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from zonedesk.core.inputs import parse_year_range as _parse_year_range

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
    "axes",  # django-axes: failed-login records behind the lockout (zonedesk.identity.lockout)
    "zonedesk.identity",
    # second factor (django-otp with its TOTP and recovery-code devices) and API credentials
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "zonedesk.factors",
]

MIDDLEWARE = [
    "zonedesk.core.middleware.RequestContextMiddleware",  # first: every log line of a request has its id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): second factor this session
    "zonedesk.factors.middleware.SecondFactorMiddleware",  # enrol or verify before anything else
    "zonedesk.core.middleware.LanguageMiddleware",
    "zonedesk.core.middleware.BadInputMiddleware",  # NUL, lone surrogates, oversized JSON: refused here
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "zonedesk.core.middleware.RequestActorMiddleware",
    # zonedesk.identity: idle/absolute session timeouts, then the forced password change; axes last (its docs)
    "zonedesk.identity.middleware.SessionTimeoutMiddleware",
    "zonedesk.identity.middleware.PasswordChangeRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zonedesk.config.urls"
WSGI_APPLICATION = "zonedesk.config.wsgi.application"
AUTH_USER_MODEL = "access.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# --- Deployment: browser security headers and the reverse proxy (issue 13) ---------------------------
# Content-Security-Policy (django-csp): scripts, styles, images and fonts only from zonedesk's own
# static files; no inline script or style attribute in any template (the pages' scripts and the
# vendored ECharts, which draws on canvas and needs no eval, are static files); no framing.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],  # ECharts' "save as image", a canvas's data URL
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features zonedesk never uses, switched off for every page (core.headers).
ZONEDESK_PERMISSIONS_POLICY = os.environ.get(
    "ZONEDESK_PERMISSIONS_POLICY",
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), display-capture=(), interest-cohort=()",
)
SECURE_REFERRER_POLICY = "same-origin"  # other sites never see a page's address (ids, filters)
MIDDLEWARE += ["csp.middleware.CSPMiddleware", "zonedesk.core.headers.PermissionsPolicyMiddleware"]
# The TLS-terminating proxy in front of `zonedesk serve`: its address as waitress sees it (one
# address, e.g. 127.0.0.1, as waitress trusts one; "*" trusts any peer: only on a socket no one else
# reaches). Empty (the default): no X-Forwarded-* header is believed. When set, waitress takes the
# scheme and client address from X-Forwarded-Proto/-For of that peer only (ZONEDESK_TRUSTED_PROXY_COUNT
# proxies deep) and clears those headers from anyone else; production settings then read the scheme
# (SECURE_PROXY_SSL_HEADER). Read by zonedesk.core.deployment.
ZONEDESK_TRUSTED_PROXIES = os.environ.get("ZONEDESK_TRUSTED_PROXIES", "").strip()
ZONEDESK_TRUSTED_PROXY_COUNT = int(os.environ.get("ZONEDESK_TRUSTED_PROXY_COUNT", "1") or "1")

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

# Identity and sessions (zonedesk.identity, read through identity/policy.py; README "Security").
# ZONEDESK_PASSWORD_MODE: "dengbao" (default, GB/T 22239-2019 三级: length, three of four character classes,
# history, expiry with a forced change) or "asvs" (OWASP ASVS 4 §2.1: length, history and the common-password
# list only; no composition rule, no periodic expiry). Each value can be set from the environment.
ZONEDESK_PASSWORD_MODE = os.environ.get("ZONEDESK_PASSWORD_MODE", "dengbao").strip().lower()
if ZONEDESK_PASSWORD_MODE not in {"dengbao", "asvs"}:
    raise ImproperlyConfigured(
        f"ZONEDESK_PASSWORD_MODE must be dengbao or asvs, not {ZONEDESK_PASSWORD_MODE!r}"
    )
ZONEDESK_PASSWORD_MIN_LENGTH = int(os.environ.get("ZONEDESK_PASSWORD_MIN_LENGTH", "8"))
ZONEDESK_PASSWORD_MIN_CLASSES = int(
    os.environ.get("ZONEDESK_PASSWORD_MIN_CLASSES", "3")
)  # of 4; dengbao only
ZONEDESK_PASSWORD_HISTORY = int(os.environ.get("ZONEDESK_PASSWORD_HISTORY", "5"))  # the last N are refused
ZONEDESK_PASSWORD_MAX_AGE_DAYS = int(
    os.environ.get("ZONEDESK_PASSWORD_MAX_AGE_DAYS", "90")
)  # dengbao; 0: never
ZONEDESK_LOCKOUT_FAILURES = int(os.environ.get("ZONEDESK_LOCKOUT_FAILURES", "5"))  # per account
ZONEDESK_LOCKOUT_MINUTES = int(os.environ.get("ZONEDESK_LOCKOUT_MINUTES", "30"))
# Per client address, over the same window: higher, since a whole office may sit behind one NAT address.
ZONEDESK_LOCKOUT_ADDRESS_FAILURES = int(os.environ.get("ZONEDESK_LOCKOUT_ADDRESS_FAILURES", "20"))
ZONEDESK_SESSION_IDLE_MINUTES = int(os.environ.get("ZONEDESK_SESSION_IDLE_MINUTES", "30"))
ZONEDESK_SESSION_MAX_HOURS = int(os.environ.get("ZONEDESK_SESSION_MAX_HOURS", "12"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "zonedesk.identity.validators.LengthValidator"},
    {"NAME": "zonedesk.identity.validators.CharacterClassValidator"},
    {"NAME": "zonedesk.identity.validators.UsernameValidator"},
    {"NAME": "zonedesk.identity.validators.HistoryValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# django-axes records failed logins; zonedesk.identity.lockout reads the limits above (per account and per
# address). The lockout backend comes first; it only refuses, ModelBackend checks the password.
AUTHENTICATION_BACKENDS = [
    "zonedesk.identity.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "zonedesk.identity.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = "zonedesk.identity.lockout.failure_limit"
AXES_COOLOFF_TIME = "zonedesk.identity.lockout.cool_off"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "zonedesk.identity.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "zonedesk.core.security_log.client_address"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lock lasts its minutes from the locking failure
AXES_DISABLE_ACCESS_LOG = True  # logins are security events on "zonedesk.security" (core/security_log.py)
AXES_VERBOSE = False
# The session cookie and the stored session end with the absolute lifetime (the middleware enforces both).
SESSION_COOKIE_AGE = ZONEDESK_SESSION_MAX_HOURS * 3600

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

# Second factor and API tokens (zonedesk.factors, access.services; read through factors/policy.py and
# access.services.token_settings). A second factor (TOTP in an authenticator app, plus 10 one-time
# recovery codes) is required of every account holding one of ZONEDESK_MFA_REQUIRED_ROLES (comma-separated
# role codes in the environment), and of every account with an all-zones grant or superuser status while
# ZONEDESK_MFA_REQUIRE_ALL_SCOPE is on; optional for everyone else. A bearer token is its own credential
# (no TOTP asked), lives ZONEDESK_TOKEN_DAYS days unless its creator chooses 1..ZONEDESK_TOKEN_MAX_DAYS.
ZONEDESK_MFA_REQUIRED_ROLES = [
    code.strip()
    for code in os.environ.get(
        "ZONEDESK_MFA_REQUIRED_ROLES", "province_admin,system_admin,security_admin,audit_admin"
    ).split(",")
    if code.strip()
]
ZONEDESK_MFA_REQUIRE_ALL_SCOPE = os.environ.get("ZONEDESK_MFA_REQUIRE_ALL_SCOPE", "1") == "1"
ZONEDESK_TOKEN_DAYS = int(os.environ.get("ZONEDESK_TOKEN_DAYS", "90"))
ZONEDESK_TOKEN_MAX_DAYS = int(os.environ.get("ZONEDESK_TOKEN_MAX_DAYS", "365"))
# The name the authenticator app shows beside the account (django-otp's setting).
OTP_TOTP_ISSUER = os.environ.get("ZONEDESK_MFA_ISSUER", "zonedesk")

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

# Bad input (core/inputs.py reads this group; README "Security → bad input"): dates accepted in any
# input (years, inclusive), periods YYYY-MM on KPIs, bulletins and the dispatch pages
# (ZONEDESK_PERIOD_RANGE, e.g. "1990-2100"), and the largest JSON body the API reads (bytes; larger
# ones are answered 413). Ids and page numbers are always positive 64-bit integers, decimals finite.
ZONEDESK_INPUT = {
    "DATE_RANGE": (1900, 2100),
    "PERIOD_RANGE": _parse_year_range(os.environ.get("ZONEDESK_PERIOD_RANGE", ""), (1990, 2100)),
    "API_MAX_BODY_BYTES": int(os.environ.get("ZONEDESK_API_MAX_BODY_BYTES") or 2_621_440),
}

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
        },
        # Every "zonedesk.security" record with extra["event"] becomes a chained SecurityEvent row.
        "security_record": {
            "class": "zonedesk.core.security_record.SecurityRecordHandler",
            "filters": ["request_context"],
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "zonedesk": {"level": os.environ.get("ZONEDESK_LOG_LEVEL", "INFO").upper()},
        "zonedesk.security": {"handlers": ["security_record"], "level": "INFO"},
    },
}

# Audit record (等保 §8.1.4.3; README "Security → audit record"), read through zonedesk.core.chain.
# ZONEDESK_AUDIT_HASH: the hash of the history and security-event chains, "sha256" or "sm3" (GM/T 0004).
# ZONEDESK_AUDIT_RETENTION_DAYS: how long rows are kept before `zonedesk audit purge` may remove them;
# never below 180 (网络安全法 §21: at least six months), also enforced by the database triggers.
ZONEDESK_AUDIT_HASH = os.environ.get("ZONEDESK_AUDIT_HASH", "sha256").strip().lower()
ZONEDESK_AUDIT_RETENTION_DAYS = int(os.environ.get("ZONEDESK_AUDIT_RETENTION_DAYS", "180"))

# Mail (the dispatch reminders of missing reports). Development prints each mail to the console; tests
# keep them in memory; production sets SMTP from the environment (production.py). No secrets here.
EMAIL_BACKEND = os.environ.get("ZONEDESK_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("ZONEDESK_FROM_EMAIL", "zonedesk@localhost")
# Where the site is, for links in mails (e.g. https://zonedesk.example.gov.cn); empty: links are paths.
ZONEDESK_SITE_URL = os.environ.get("ZONEDESK_SITE_URL", "")

# Uploads (ledgers: .xlsx/.xls/.csv; intake: .docx/.pdf/.txt), bounded before and while they are read
# (zonedesk.core.uploads; README "Security → uploads"). A file over a limit is refused with a Chinese
# message naming the limit and the file's figure (HTTP 422; the upload size 413), never read further.
# Each key can be set here or in the environment as ZONEDESK_UPLOAD_<KEY> (e.g. ZONEDESK_UPLOAD_ROWS=300000).
ZONEDESK_UPLOAD_LIMITS = {
    key: int(os.environ.get(f"ZONEDESK_UPLOAD_{key}", default))
    for key, default in {
        "LEDGER_UPLOAD_MB": 20,  # a ledger file as uploaded (the command line `zonedesk import` is not bound by it)
        "INTAKE_UPLOAD_MB": 10,  # a report uploaded to intake
        "PACKAGE_MB": 300,  # an .xlsx/.docx (a zip): all its parts decompressed, counted as they are read
        "PART_MB": 300,  # any one part decompressed (openpyxl writes 200 000 rows × 20 columns as ~284 MB)
        "RATIO": 100,  # decompressed ÷ compressed for one part (Apache POI's bound)…
        "RATIO_GRACE_KB": 1024,  # …once the part is larger than this (small parts compress well)
        "MEMBERS": 1000,  # parts in one zip (a workbook has tens)
        "ROWS": 200_000,  # rows in one file, all sheets, empty rows included
        "COLUMNS": 500,  # columns holding data in one row
        "CELL_CHARS": 32_767,  # text of one cell (Excel's own limit)
        "ROW_MB": 16,  # one row's XML in a sheet, read before it is split into cells
        "SHARED_STRINGS": 2_000_000,  # distinct texts of a workbook (its shared-string table)
        "XML_ELEMENTS": 2_000_000,  # tags in a part read whole into a tree (.docx: ~100 bytes each)
        "SECONDS": 60,  # reading one file, checked as its rows (pages, paragraphs) are read
    }.items()
}
# Uploads left pending (never applied) or failed are removed, with their files, after this many days by
# `zonedesk cleanup uploads [--dry-run]` (run it daily). Applied and undone imports are kept.
ZONEDESK_UPLOAD_RETENTION_DAYS = int(os.environ.get("ZONEDESK_UPLOAD_RETENTION_DAYS", "7"))
