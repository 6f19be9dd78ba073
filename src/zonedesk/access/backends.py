"""An authentication backend placed first in production: the demo's password never signs anyone in."""

from __future__ import annotations

import hmac
import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .conf import DEMO_PASSWORD, refuse_demo_password

security_log = logging.getLogger("zonedesk.security")


class DemoPasswordRefused:
    """Refuses (PermissionDenied stops Django trying the other backends) any sign-in whose password is
    the demo's, whoever the account; otherwise it passes to the next backend."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kw: Any
    ) -> None:
        if not refuse_demo_password() or password is None:
            return None
        if hmac.compare_digest(password.encode(), DEMO_PASSWORD.encode()):
            security_log.warning(
                "login.refused %s",
                username,
                extra={
                    "event": "login.refused",
                    "username": username,
                    "user_id": None,
                    "by": None,
                    "reason": "demo_password",
                },
            )
            raise PermissionDenied
        return None

    def get_user(self, user_id: int) -> None:
        return None
