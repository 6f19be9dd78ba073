"""System check: where the demo's password is refused (production), no demo account may still have it."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.db import DatabaseError
from django.db.models import Q

from .conf import DEMO_PASSWORD, DEMO_USERNAME_PREFIX, DEMO_USERNAMES, refuse_demo_password


@register("security")
def demo_accounts_disabled(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not refuse_demo_password():
        return []
    from .models import User

    try:
        candidates = list(
            User.objects.filter(Q(username__in=DEMO_USERNAMES) | Q(username__startswith=DEMO_USERNAME_PREFIX))
            .filter(is_active=True)
            .order_by("username")
        )
    except DatabaseError:  # no database yet (check --deploy before migrate): nothing to look at
        return []
    found = [u.username for u in candidates if u.check_password(DEMO_PASSWORD)]
    if not found:
        return []
    return [
        Error(
            "生产环境中存在使用演示密码的演示账号：" + "、".join(found),
            hint="停用这些账号（zonedesk user disable <用户名>）或修改其密码后再启动。",
            id="zonedesk.access.E001",
        )
    ]
