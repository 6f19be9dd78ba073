from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from zonedesk.core.api import Strict


class TokenOut(Schema):
    id: int
    user: str = Field(..., description="持有人用户名")
    name: str
    prefix: str = Field(..., description="令牌开头几位，用于辨认（令牌本身只在创建时返回一次）")
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    revoked_reason: str
    state: str = Field(..., description="active（有效）、expired（已过期）或 revoked（已吊销）")

    @staticmethod
    def resolve_user(obj) -> str:
        return obj.user.get_username()

    @staticmethod
    def resolve_state(obj) -> str:
        return str(obj.state())


class TokenCreated(TokenOut):
    token: str = Field(..., description="令牌本身：只返回这一次")


class TokenIn(Strict):
    name: str = Field("", max_length=100, description="用途")
    # The range (1..ZONEDESK_TOKEN_MAX_DAYS) is the service's, so the message names the installation's limit.
    days: int | None = Field(
        None, description="有效期天数，默认 ZONEDESK_TOKEN_DAYS（90），最多 ZONEDESK_TOKEN_MAX_DAYS"
    )


class RevokeIn(Strict):
    reason: str = Field("", max_length=200)
