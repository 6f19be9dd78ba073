"""Writes to the organisation: units (with their tree path), users, grants and API tokens."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.core.audit import current_actor, log_change, require_actor, snapshot
from zonedesk.core.errors import ValidationFailed, full_clean_or_fail
from zonedesk.core.permissions import ensure_may_act

from .choices import Scope
from .models import ApiToken, Grant, OrgUnit, Role, User

security_log = logging.getLogger("zonedesk.security")


@transaction.atomic
def orgunit_create(
    *,
    name: str,
    kind: str,
    parent: OrgUnit | None = None,
    region: Any = None,
    zone: Any = None,
    short_name: str = "",
) -> OrgUnit:
    require_actor()
    unit = OrgUnit(name=name, kind=kind, parent=parent, region=region, short_name=short_name)
    # Units under a zone committee belong to that zone too.
    unit.zone = zone if zone is not None else (parent.zone if parent is not None else None)
    unit.save()
    unit.path = unit.compute_path()
    OrgUnit.objects.filter(pk=unit.pk).update(path=unit.path)
    log_change(unit, "create", None, snapshot(unit))
    return unit


@transaction.atomic
def orgunit_attach_zone(*, unit: OrgUnit, zone: Any) -> None:
    """Make ``unit`` and every unit below it belong to ``zone`` (a committee and its departments)."""
    require_actor()
    OrgUnit.objects.filter(path__startswith=unit.path).update(zone=zone)
    unit.zone = zone


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    full_name: str = "",
    unit: OrgUnit | None = None,
    is_superuser: bool = False,
) -> User:
    require_actor()
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(
            _("用户名已存在"), fields={"username": [_("用户名“%(name)s”已存在") % {"name": username}]}
        )
    user = User(
        username=username, full_name=full_name, unit=unit, is_superuser=is_superuser, is_staff=is_superuser
    )
    try:
        from django.contrib.auth.password_validation import validate_password

        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(_("密码不符合要求"), fields={"password": list(exc.messages)}) from exc
    user.set_password(password)
    user.save()
    log_change(user, "create", None, snapshot(user, fields=["username", "full_name", "unit", "is_superuser"]))
    return user


@transaction.atomic
def grant_create(
    *, user: User, role: Role, scope: str, zone: Any = None, units: list[OrgUnit] | None = None
) -> Grant:
    require_actor()
    if scope not in Scope.values:
        raise ValidationFailed(
            _("数据范围无效"), fields={"scope": [_("未知的数据范围：%(scope)s") % {"scope": scope}]}
        )
    grant = Grant(user=user, role=role, scope=scope, zone=zone)
    full_clean_or_fail(grant, _("授权校验未通过"), exclude=())
    grant.save()
    if units:
        grant.units.set(units)
    user.__dict__.pop("_zonedesk_grants", None)
    log_change(
        user,
        "update",
        None,
        {
            "grant": {
                "role": role.code,
                "scope": scope,
                "zone": getattr(zone, "pk", None),
                "units": [u.pk for u in units or []],
            }
        },
        note="新增授权",
    )
    return grant


def token_settings() -> tuple[int, int]:
    """(default days, most days) a new API token lives: ZONEDESK_TOKEN_DAYS, ZONEDESK_TOKEN_MAX_DAYS."""
    default = int(getattr(settings, "ZONEDESK_TOKEN_DAYS", 90))
    most = int(getattr(settings, "ZONEDESK_TOKEN_MAX_DAYS", 365))
    return default, max(most, default)


def token_create(
    *, user: User, name: str = "", days: int | None = None, now: dt.datetime | None = None
) -> str:
    """Issue a personal API token that expires after ``days`` (ZONEDESK_TOKEN_DAYS when not given) and
    return it; only its hash is kept."""
    require_actor()
    default, most = token_settings()
    days = default if days is None else days
    if not 1 <= days <= most:
        raise ValidationFailed(
            _("有效期超出范围"),
            fields={"days": [_("有效期应为 1 至 %(most)s 天") % {"most": most}]},
        )
    if len(name) > 100:
        raise ValidationFailed(_("用途过长"), fields={"name": [_("用途最多 100 个字符")]})
    now = now or timezone.now()
    expires_at = now + dt.timedelta(days=days)
    token, raw = ApiToken.issue(user, name=name, expires_at=expires_at, now=now)
    log_change(
        user,
        "update",
        None,
        {"api_token": token.prefix, "expires_at": expires_at.isoformat()},
        note="创建 API 令牌",
    )
    security_log.info(
        "token.created",
        extra={
            "event": "token.created",
            "username": user.get_username(),
            "token": token.prefix,
            "token_id": token.pk,
            "expires_at": expires_at.isoformat(),
            "actor": _actor_name(),
        },
    )
    return raw


def _actor_name() -> str:
    actor = current_actor()
    return actor.display if actor is not None else ""


def _revoke(tokens: list[ApiToken], *, reason: str, now: dt.datetime) -> int:
    for token in tokens:
        token.revoked_at = now
        token.revoked_reason = reason[:200]
        token.save(update_fields=["revoked_at", "revoked_reason"])
        log_change(
            token.user,
            "update",
            None,
            {"api_token": token.prefix, "revoked_reason": token.revoked_reason},
            note="吊销 API 令牌",
        )
        security_log.info(
            "token.revoked",
            extra={
                "event": "token.revoked",
                "username": token.user.get_username(),
                "token": token.prefix,
                "token_id": token.pk,
                "reason": token.revoked_reason,
                "actor": _actor_name(),
            },
        )
    return len(tokens)


@transaction.atomic
def token_revoke(
    *, actor: User | None, token: ApiToken, reason: str = "", now: dt.datetime | None = None
) -> ApiToken:
    """Revoke one token: its holder's own, or one a security administrator reaches (``change`` on
    ApiToken); ``actor`` None is the server's operator (the command line). Revoking a token twice is
    refused, so the first reason is kept."""
    require_actor()
    locked = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if actor is not None and locked.user_id != actor.pk:
        ensure_may_act(actor, "change", locked, _("您无权吊销该令牌"))
    if locked.revoked_at is not None:
        raise ValidationFailed(_("该令牌已吊销"), fields={"token": [_("该令牌已于此前吊销")]})
    _revoke([locked], reason=reason or _("手动吊销"), now=now or timezone.now())
    return locked


@transaction.atomic
def token_revoke_all(*, user: User, reason: str, now: dt.datetime | None = None) -> int:
    """Revoke every token of ``user`` still unrevoked (password change, deactivation); the number revoked.

    Called by the account services themselves, so it asks no permission of its own."""
    require_actor()
    tokens = list(
        ApiToken.objects.select_for_update()
        .select_related("user")
        .filter(user=user, revoked_at__isnull=True)
        .order_by("pk")
    )
    return _revoke(tokens, reason=reason, now=now or timezone.now())


def user_set_language(*, user: User, language: str) -> None:
    """Keep the workspace language a person chose, so it follows them to any computer.

    A personal preference like a saved ledger view: not part of the audited record.
    """
    if language not in dict(settings.LANGUAGES):
        raise ValidationFailed(
            _("不支持的语言"), fields={"language": [_("不支持的语言：%(code)s") % {"code": language}]}
        )
    if user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language
