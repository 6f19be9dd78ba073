"""What every app's command module shares: Django set-up, the error exit, and resolving the user and zone a
command names. The ``zonedesk`` command (``zonedesk.cli``) only collects the modules the apps declare."""

from __future__ import annotations

import os
import sys
from typing import Any

DEFAULT_SETTINGS = "zonedesk.config.settings.local"


def setup() -> None:
    """Start Django with the local settings unless DJANGO_SETTINGS_MODULE says otherwise."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django

    django.setup()


def fail(message: str, code: int = 2) -> int:
    """Say what went wrong on stderr, in Chinese; the return value is the command's exit code."""
    print(f"错误：{message}", file=sys.stderr)
    return code


def resolve_user(username: str) -> Any:
    """The active user a command acts as, or an exit naming them."""
    from zonedesk.access.models import User

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise SystemExit(fail(f"用户“{username}”不存在或已停用"))
    return user


ZONE_NOT_FOUND = "开发区“{text}”不存在或您无权访问"


def resolve_zone(user: Any, text: str, message: str = ZONE_NOT_FOUND) -> Any:
    """The zone named by id, full name or alias among those ``user`` may see (all zones when ``user`` is
    None, for system jobs), or an exit with ``message`` (``{text}`` is what was typed)."""
    from zonedesk.access.scoping import restrict
    from zonedesk.geo.models import Zone
    from zonedesk.geo.selectors import find_zone

    zones = Zone.objects.all() if user is None else restrict(user, "view", Zone)
    zone = find_zone(zones, text)
    if zone is None:
        raise SystemExit(fail(message.format(text=(text or "").strip())))
    return zone
