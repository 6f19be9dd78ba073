"""Security events on the "zonedesk.security" logger: logins, failed logins, logouts.

Each carries ``extra["event"]``, so core.security_record keeps it as a chained SecurityEvent row.

Connected to Django's auth signals in ``CoreConfig.ready``, so every way of logging in (the login
page, the admin, ``Client.login``) is covered. The password is never logged. The client address is
the socket's peer (``REMOTE_ADDR``); behind a reverse proxy that is the proxy unless it rewrites it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

log = logging.getLogger("zonedesk.security")


def client_address(request: HttpRequest | None) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    log.info(
        "login.succeeded",
        extra={
            "event": "login.succeeded",
            "username": user.get_username(),
            "user_id": user.pk,
            "client": client_address(request),
        },
    )


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django has already masked the password in ``credentials``; only the username is taken.
    log.warning(
        "login.failed",
        extra={
            "event": "login.failed",
            "username": str(credentials.get("username", "")),
            "client": client_address(request),
        },
    )


def on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    username = user.get_username() if user is not None else ""
    log.info(
        "logout",
        extra={
            "event": "logout",
            "username": username,
            "user_id": getattr(user, "pk", None),
            "client": client_address(request),
        },
    )


def connect() -> None:
    user_logged_in.connect(on_login, dispatch_uid="zonedesk.security.login")
    user_login_failed.connect(on_login_failed, dispatch_uid="zonedesk.security.login_failed")
    user_logged_out.connect(on_logout, dispatch_uid="zonedesk.security.logout")
