"""API authentication: personal bearer tokens, or the browser session (with CSRF).

A token is its own credential: a request carrying one is not asked for the second factor (factors). An
expired or revoked token, or one whose holder is deactivated, answers 401 and is logged as
"token.rejected" on "zonedesk.security" (the token's prefix only, never the token)."""

from __future__ import annotations

import logging

from ninja.security import HttpBearer, SessionAuth

from zonedesk.access.models import ApiToken
from zonedesk.core.security_log import client_address

security_log = logging.getLogger("zonedesk.security")


class TokenAuth(HttpBearer):
    openapi_description = (
        "个人 API 令牌：`zonedesk token create --user 用户名` 生成（默认 90 天后过期，可吊销），"
        "以 `Authorization: Bearer …` 发送"
    )

    def authenticate(self, request, token):
        found, refused = ApiToken.lookup(token)
        if refused or found is None:
            security_log.warning(
                "token.rejected",
                extra={
                    "event": "token.rejected",
                    "reason": refused,
                    "token": found.prefix if found is not None else token[:10],
                    "username": found.user.get_username() if found is not None else "",
                    "client": client_address(request),
                },
            )
            return None
        request.user = found.user
        return found.user


class BrowserSession(SessionAuth):
    openapi_description = "浏览器登录会话（写操作须带 CSRF 令牌；须完成双因素验证的账号须先验证）"


AUTH = [TokenAuth(), BrowserSession()]
