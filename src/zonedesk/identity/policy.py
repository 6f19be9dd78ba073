"""The identity and session policy of this installation, read from the ``ZONEDESK_PASSWORD_*``,
``ZONEDESK_LOCKOUT_*`` and ``ZONEDESK_SESSION_*`` settings (config/settings/base.py, README "Security").

Read on every call, so a test's ``override_settings`` applies at once. Two password modes:

- ``dengbao`` (default): GB/T 22239-2019 三级 — minimum length, three of the four character classes
  (upper case, lower case, digits, other), not containing the username, not one of the last N, and
  expiry after N days with a forced change at the next login;
- ``asvs``: OWASP ASVS 4 §2.1 — no composition rule and no periodic expiry (ASVS 2.1.9, 2.1.10); the
  length, username, history and common-password checks stay.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

DENGBAO = "dengbao"
ASVS = "asvs"


@dataclass(frozen=True)
class PasswordPolicy:
    mode: str
    min_length: int
    min_classes: int  # 0: no composition rule
    history: int  # the last N passwords (the current one included) are refused
    max_age: dt.timedelta | None  # None: passwords never expire


@dataclass(frozen=True)
class LockoutPolicy:
    failures: int  # failed logins for one account before it is locked
    address_failures: int  # failed logins from one client address before that address is refused
    duration: dt.timedelta  # how long a lock lasts, and the window failures are counted in


@dataclass(frozen=True)
class SessionPolicy:
    idle: dt.timedelta
    lifetime: dt.timedelta


def password_policy() -> PasswordPolicy:
    mode = getattr(settings, "ZONEDESK_PASSWORD_MODE", DENGBAO)
    days = int(getattr(settings, "ZONEDESK_PASSWORD_MAX_AGE_DAYS", 90))
    dengbao = mode != ASVS
    return PasswordPolicy(
        mode=ASVS if not dengbao else DENGBAO,
        min_length=int(getattr(settings, "ZONEDESK_PASSWORD_MIN_LENGTH", 8)),
        min_classes=int(getattr(settings, "ZONEDESK_PASSWORD_MIN_CLASSES", 3)) if dengbao else 0,
        history=int(getattr(settings, "ZONEDESK_PASSWORD_HISTORY", 5)),
        max_age=dt.timedelta(days=days) if dengbao and days > 0 else None,
    )


def lockout_policy() -> LockoutPolicy:
    return LockoutPolicy(
        failures=int(getattr(settings, "ZONEDESK_LOCKOUT_FAILURES", 5)),
        address_failures=int(getattr(settings, "ZONEDESK_LOCKOUT_ADDRESS_FAILURES", 20)),
        duration=dt.timedelta(minutes=int(getattr(settings, "ZONEDESK_LOCKOUT_MINUTES", 30))),
    )


def session_policy() -> SessionPolicy:
    return SessionPolicy(
        idle=dt.timedelta(minutes=int(getattr(settings, "ZONEDESK_SESSION_IDLE_MINUTES", 30))),
        lifetime=dt.timedelta(hours=int(getattr(settings, "ZONEDESK_SESSION_MAX_HOURS", 12))),
    )
