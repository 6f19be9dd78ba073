"""Multi-user install behind a TLS-terminating proxy: PostgreSQL, secrets only from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

SECRET_KEY = os.environ.get("ZONEDESK_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("ZONEDESK_SECRET_KEY 未设置或过短（至少 50 个字符）")

DEBUG = False
# The proxy's X-Forwarded-Proto is believed only when a trusted proxy is configured: waitress then
# clears that header from every other peer, so no client can claim https for itself.
if ZONEDESK_TRUSTED_PROXIES:  # noqa: F405
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("ZONEDESK_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
STATIC_ROOT = DATA_DIR / "static"  # noqa: F405 - `zonedesk manage collectstatic` fills it
WHITENOISE_USE_FINDERS = False

# The demo's accounts and password never sign in here (zonedesk.access.backends, zonedesk.access.checks).
ZONEDESK_REFUSE_DEMO_PASSWORD = True
AUTHENTICATION_BACKENDS = [
    "zonedesk.access.backends.DemoPasswordRefused",
    *globals().get("AUTHENTICATION_BACKENDS", ["django.contrib.auth.backends.ModelBackend"]),
]

# Mail through the organisation's SMTP server, when one is named (otherwise the console, as in development).
if os.environ.get("ZONEDESK_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["ZONEDESK_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("ZONEDESK_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("ZONEDESK_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("ZONEDESK_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("ZONEDESK_EMAIL_TLS", "1") == "1"
    EMAIL_TIMEOUT = 20
