"""API tokens through the JSON API (/api/v1/tokens): list, create (the token returned once), revoke.

Everyone sees and revokes their own; a security administrator (``view``/``change`` on ApiToken) also those of
the people in reach; any other token is 404. Creating follows the second-factor rule (factors.services)."""

from __future__ import annotations

from ninja import Path, Query, Router, Status

from zonedesk.access.models import ApiToken
from zonedesk.access.selectors import tokens_visible
from zonedesk.access.services import token_revoke
from zonedesk.core.api import ERRORS, PageParams, acting, get_or_404, paginate

from .schemas import RevokeIn, TokenCreated, TokenIn, TokenOut
from .services import token_issue

router = Router(tags=["API 令牌"])
MAX_ID = 2**63 - 1


@router.get("", response={200: dict, **ERRORS}, summary="API 令牌列表（本人的，及安全管理员范围内的）")
def list_tokens(request, page: Query[PageParams], user: str | None = None, mine: bool = False):
    qs = tokens_visible(request.user)
    if mine:
        qs = qs.filter(user_id=request.user.pk)
    elif user:
        qs = qs.filter(user__username=user)
    result = paginate(qs, page)
    result["results"] = [TokenOut.from_orm(t).dict() for t in result["results"]]
    return result


@router.post("", response={201: TokenCreated, **ERRORS}, summary="为本人创建 API 令牌（令牌只返回一次）")
def create_token(request, payload: TokenIn):
    with acting(request):
        raw = token_issue(user=request.user, name=payload.name, days=payload.days)
    token = ApiToken.objects.filter(user=request.user, prefix=raw[:10]).latest("pk")
    token.token = raw  # type: ignore[attr-defined]  # returned this once, never stored
    return Status(201, token)


@router.post("/{token_id}/revoke", response={200: TokenOut, **ERRORS}, summary="吊销 API 令牌")
def revoke(request, payload: RevokeIn, token_id: int = Path(..., ge=1, le=MAX_ID)):
    """The body is a JSON object, ``{}`` or ``{"reason": "…"}``."""
    token = get_or_404(tokens_visible(request.user, "change"), token_id)
    with acting(request):
        return token_revoke(actor=request.user, token=token, reason=payload.reason)
