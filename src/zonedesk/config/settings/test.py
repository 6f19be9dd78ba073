"""Test settings: the same apps; SQLite by default, PostgreSQL when DATABASE_URL is set (CI's second pass)."""

import os
import tempfile

os.environ.setdefault("ZONEDESK_DATA_DIR", tempfile.mkdtemp(prefix="zonedesk-test-"))

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]

# Several suites may run at once against one PostgreSQL server (parallel work, CI beside a session):
# each can pick its own throw-away test database.
if os.environ.get("ZONEDESK_TEST_DB_NAME") and DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.environ["ZONEDESK_TEST_DB_NAME"]}  # noqa: F405

# The suites log in as the all-zones administrator with force_login; the second factor is asked of nobody
# here, and the factors tests switch it on (their ``mfa_on`` fixture) to test it as installed.
ZONEDESK_MFA_REQUIRED_ROLES: list[str] = []
ZONEDESK_MFA_REQUIRE_ALL_SCOPE = False
