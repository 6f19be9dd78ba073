"""API authentication: personal bearer tokens, or the browser session (with CSRF)."""

from __future__ import annotations

from ninja.security import HttpBearer, SessionAuth

from zonedesk.access.models import ApiToken


class TokenAuth(HttpBearer):
    openapi_description = (
        "个人 API 令牌：`zonedesk token create --user 用户名` 生成，以 `Authorization: Bearer …` 发送"
    )

    def authenticate(self, request, token):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


class BrowserSession(SessionAuth):
    openapi_description = "浏览器登录会话（写操作须带 CSRF 令牌）"


AUTH = [TokenAuth(), BrowserSession()]
