"""The accounts settings group of ``config/settings/base.py``, read in one place with its defaults."""

from __future__ import annotations

from django.conf import settings

# The demo's password (``zonedesk demo``); never accepted where ZONEDESK_REFUSE_DEMO_PASSWORD is on.
DEMO_PASSWORD = "zonedesk-demo-2026"
# The demo's named accounts; its per-zone officers are "officer_<zone key>".
DEMO_USERNAMES = ("sheng", "changzhi", "gaoxin", "xingxian", "yiyao")
DEMO_USERNAME_PREFIX = "officer_"


def account_inactive_days() -> int:
    """Days without a sign-in after which an account is disabled (0: never)."""
    return max(int(getattr(settings, "ZONEDESK_ACCOUNT_INACTIVE_DAYS", 90)), 0)


def refuse_demo_password() -> bool:
    return bool(getattr(settings, "ZONEDESK_REFUSE_DEMO_PASSWORD", False))
