"""Writes to the organisation: units (with their tree path), users, grants and API tokens.

The administration pages pass ``by``, the administrator acting: each write then checks that the
unit, the user and the grant stay inside what ``by`` administers (``restrict(by, "administer",
OrgUnit)``), so a zone administrator manages only their zone's units and people and cannot grant
a role or a data scope beyond their own. Without ``by`` (setup, commands, tests) no such check.

三员分立: the administrator roles (``defaults.ADMINISTRATOR_ROLES``) are given and taken away only by a
superuser or from the command line, never by an administrator (nobody grants themselves or anyone
another of the three), and a person holds at most one of them. Nobody but a superuser changes their
own grants. Account and grant changes are also told to the ``zonedesk.security`` logger as events
(``user.disabled``, ``user.enabled``, ``grant.created``, ``grant.revoked``).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.core.audit import current_actor, log_change, require_actor, snapshot
from zonedesk.core.errors import NotPermitted, ValidationFailed, full_clean_or_fail
from zonedesk.core.permissions import ensure_may_act

from .choices import Scope
from .defaults import ADMINISTRATOR_ROLES
from .models import ApiToken, Grant, OrgUnit, Role, User
from .scoping import user_grants
from .selectors import administered_units, administered_users, administers_everything, holds

security_log = logging.getLogger("zonedesk.security")

USER_AUDIT_FIELDS = ["username", "full_name", "phone", "unit", "is_active", "is_superuser"]


def _refuse(message: str, field: str) -> NotPermitted:
    """A refusal that names the field it is about, so the form shows it there."""
    exc = NotPermitted(message)
    exc.fields = {field: [message]}
    return exc


def _ensure_unit(by: Any, unit: OrgUnit | None, message: str) -> None:
    if by is None:
        return
    if unit is None:
        if not administers_everything(by):
            raise NotPermitted(message)
    elif not administered_units(by).filter(pk=unit.pk).exists():
        raise NotPermitted(message)


def _security_event(event: str, user: User, by: Any, **details: Any) -> None:
    """One security event for the ``zonedesk.security`` logger (persisted by the audit chain's handler)."""
    security_log.info(
        "%s %s",
        event,
        user.username,
        extra={
            "event": event,
            "username": user.username,
            "user_id": user.pk,
            "by": getattr(by, "username", None),
            **details,
        },
    )


def _ensure_user(by: Any, user: User) -> None:
    if by is not None and not administered_users(by).filter(pk=user.pk).exists():
        raise NotPermitted(_("该用户不在您管理的范围内"))


def _ensure_grant_within(
    by: Any, user: User, role: Role, scope: str, zone: Any, units: list[OrgUnit]
) -> None:
    """A grant ``by`` may give or take away: a role whose actions ``by`` holds (or, with "assign" on
    roles, any role but an administrator role), to someone else, over rows ``by`` administers."""
    if by is None or by.is_superuser:
        return
    if role.code in ADMINISTRATOR_ROLES:
        raise _refuse(
            _("管理员角色“%(role)s”只能由超级管理员授予或撤销（三员分立）") % {"role": role.name}, "role"
        )
    if by.pk == user.pk:
        raise _refuse(_("不能为自己授权或撤销自己的授权"), "role")
    if not holds(by, "role", "assign"):
        mine = {
            (otype, a)
            for g in user_grants(by)
            for otype, acts in (g.role.permissions or {}).items()
            for a in acts
        }
        theirs = {(otype, a) for otype, acts in (role.permissions or {}).items() for a in acts}
        if not theirs <= mine:
            raise _refuse(_("不能授予超出您本人权限的角色：%(role)s") % {"role": role.name}, "role")
    if administers_everything(by):
        return
    mine_units = administered_units(by)
    outside = _("数据范围超出您管理的范围")
    if scope == Scope.ALL:
        raise _refuse(_("只有管理全部单位的管理员才能授予“全部”数据范围"), "scope")
    if scope == Scope.ZONE:
        zone_units = OrgUnit.objects.filter(zone=zone)
        if zone is None or not zone_units.exists() or zone_units.exclude(pk__in=mine_units).exists():
            raise _refuse(outside, "zone")
    elif scope == Scope.UNIT_TREE and user.unit is not None:
        if OrgUnit.objects.filter(path__startswith=user.unit.path).exclude(pk__in=mine_units).exists():
            raise _refuse(outside, "scope")
    elif scope == Scope.UNITS and any(not mine_units.filter(pk=u.pk).exists() for u in units):
        raise _refuse(outside, "units")


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
    by: Any = None,
) -> OrgUnit:
    require_actor()
    _ensure_unit(by, parent, _("上级单位不在您管理的范围内"))
    if by is not None and zone is not None and not administers_everything(by):
        raise NotPermitted(_("只有管理全部单位的管理员才能指定所属开发区"))
    unit = OrgUnit(name=name, kind=kind, parent=parent, region=region, short_name=short_name)
    # Units under a zone committee belong to that zone too.
    unit.zone = zone if zone is not None else (parent.zone if parent is not None else None)
    full_clean_or_fail(unit, _("单位信息有误"), exclude=("path",))
    unit.save()
    unit.path = unit.compute_path()
    OrgUnit.objects.filter(pk=unit.pk).update(path=unit.path)
    log_change(unit, "create", None, snapshot(unit))
    return unit


@transaction.atomic
def orgunit_update(*, by: Any, unit: OrgUnit, name: str, short_name: str = "", kind: str) -> OrgUnit:
    """Rename a unit or change its kind. Its place in the tree and its zone stay (moving a unit
    would move every record scoped by its path)."""
    require_actor()
    _ensure_unit(by, unit, _("该单位不在您管理的范围内"))
    locked = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(locked)
    locked.name, locked.short_name, locked.kind = name.strip(), short_name.strip(), kind
    full_clean_or_fail(locked, _("单位信息有误"), exclude=("path",))
    locked.save()
    log_change(locked, "update", before, snapshot(locked))
    return locked


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
    phone: str = "",
    by: Any = None,
) -> User:
    require_actor()
    _ensure_unit(by, unit, _("所属单位不在您管理的范围内"))
    if by is not None and is_superuser and not by.is_superuser:
        raise NotPermitted(_("只有超级管理员才能创建超级管理员"))
    if not (username or "").strip():
        raise ValidationFailed(_("请填写用户名"), fields={"username": [_("请填写用户名")]})
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(
            _("用户名已存在"), fields={"username": [_("用户名“%(name)s”已存在") % {"name": username}]}
        )
    user = User(
        username=username,
        full_name=full_name,
        phone=phone,
        unit=unit,
        is_superuser=is_superuser,
        is_staff=is_superuser,
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
def user_update(*, by: Any, user: User, full_name: str, phone: str = "", unit: OrgUnit | None) -> User:
    """Change a person's name, telephone or unit; both the old and the new unit must be ``by``'s."""
    require_actor()
    _ensure_user(by, user)
    _ensure_unit(by, unit, _("所属单位不在您管理的范围内"))
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(locked, USER_AUDIT_FIELDS)
    locked.full_name, locked.phone, locked.unit = full_name.strip(), phone.strip(), unit
    full_clean_or_fail(locked, _("用户信息有误"), exclude=("password", "username"))
    locked.save(update_fields=["full_name", "phone", "unit"])
    log_change(locked, "update", before, snapshot(locked, USER_AUDIT_FIELDS))
    return locked


@transaction.atomic
def user_set_active(*, by: Any, user: User, active: bool, note: str = "", reason: str = "") -> User:
    """Disable a person (they can no longer sign in or use their tokens; their sessions end) or enable
    them again. Accounts are never deleted: the history names them. Setting the state a person already
    has changes and records nothing. ``note`` replaces the history's note, ``reason`` goes with the event."""
    require_actor()
    _ensure_user(by, user)
    if by is not None and by.pk == user.pk and not active:
        raise NotPermitted(_("不能停用自己的账号"))
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(locked, USER_AUDIT_FIELDS)
    if locked.is_active == active:
        return locked
    locked.is_active = active
    locked.save(update_fields=["is_active"])
    # A disabled account's tokens end with it (enabling it again does not bring them back).
    revoked = 0 if active else token_revoke_all(user=locked, reason="账号已停用")
    log_change(
        locked,
        "update",
        before,
        snapshot(locked, USER_AUDIT_FIELDS),
        note=note or ("启用账号" if active else "停用账号"),
    )
    ended = 0 if active else user_end_sessions(user=locked)
    _security_event(
        "user.enabled" if active else "user.disabled",
        locked,
        by,
        **({"reason": reason} if reason else {}),
        **({} if active else {"sessions_ended": ended, "tokens_revoked": revoked}),
    )
    return locked


def stale_accounts(*, now: dt.datetime, days: int) -> QuerySet[User]:
    """Active accounts not signed in for ``days`` days (or never, since created that long ago).
    Superusers are left alone: they are the break-glass accounts of the command line."""
    cutoff = now - dt.timedelta(days=days)
    return (
        User.objects.filter(is_active=True, is_superuser=False)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
        .order_by("username")
    )


def accounts_disable_stale(
    *, now: dt.datetime | None = None, days: int | None = None, dry_run: bool = False
) -> list[User]:
    """Disable every account unused for ``days`` (default ``ZONEDESK_ACCOUNT_INACTIVE_DAYS``): each
    with history and a "user.disabled" event (reason "stale"). ``dry_run`` only lists them."""
    from django.utils import timezone

    from .conf import account_inactive_days

    days = account_inactive_days() if days is None else days
    if days <= 0:
        return []
    found = list(stale_accounts(now=now or timezone.now(), days=days))
    if dry_run:
        return found
    require_actor()
    note = f"超过 {days} 天未登录，自动停用"  # history stays in one language, like the other notes
    return [user_set_active(by=None, user=u, active=False, note=note, reason="stale") for u in found]


def user_end_sessions(*, user: User) -> int:
    """Sign ``user`` out everywhere: delete their rows of the session table; the number deleted.

    The database session store keeps the user's id only inside the encoded data, so each live session
    is decoded once (a few thousand rows at most in an installation)."""
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    mine = [
        s.pk
        for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(s.get_decoded().get(SESSION_KEY)) == str(user.pk)
    ]
    deleted, _rows = Session.objects.filter(pk__in=mine).delete()
    return deleted


@transaction.atomic
def grant_create(
    *,
    user: User,
    role: Role,
    scope: str,
    zone: Any = None,
    units: list[OrgUnit] | None = None,
    by: Any = None,
) -> Grant:
    require_actor()
    if scope not in Scope.values:
        raise ValidationFailed(
            _("数据范围无效"), fields={"scope": [_("未知的数据范围：%(scope)s") % {"scope": scope}]}
        )
    if scope == Scope.UNITS and not units:
        raise ValidationFailed(
            _("授权校验未通过"), fields={"units": [_("数据范围为“指定单位”时必须选择单位")]}
        )
    if scope != Scope.ZONE:
        zone = None
    if scope != Scope.UNITS:
        units = []
    _ensure_user(by, user)
    _ensure_grant_within(by, user, role, scope, zone, list(units or []))
    _ensure_no_conflict(user, role)
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
    _security_event(
        "grant.created",
        user,
        by,
        role=role.code,
        scope=scope,
        zone=getattr(zone, "pk", None),
        units=[u.pk for u in units or []],
    )
    return grant


def _ensure_no_conflict(user: User, role: Role) -> None:
    """三员分立: a person holds at most one administrator role (system, security, audit, or the
    province administrator of older installations), whoever grants it."""
    if role.code not in ADMINISTRATOR_ROLES:
        return
    held = (
        Role.objects.filter(grant__user=user, code__in=ADMINISTRATOR_ROLES)
        .exclude(code=role.code)
        .order_by("code")
        .first()
    )
    if held is not None:
        message = _("三员分立：%(user)s 已是“%(held)s”，不能同时担任“%(role)s”") % {
            "user": user.username,
            "held": held.name,
            "role": role.name,
        }
        raise ValidationFailed(message, fields={"role": [message]})


@transaction.atomic
def grant_delete(*, by: Any, grant: Grant) -> None:
    """Take a grant away; ``by`` may take away only what ``by`` could have given."""
    require_actor()
    user = grant.user
    _ensure_user(by, user)
    units = list(grant.units.all())
    _ensure_grant_within(by, user, grant.role, grant.scope, grant.zone, units)
    described = {
        "role": grant.role.code,
        "scope": grant.scope,
        "zone": grant.zone_id,
        "units": [u.pk for u in units],
    }
    grant.delete()
    user.__dict__.pop("_zonedesk_grants", None)
    log_change(user, "update", {"grant": described}, None, note="撤销授权")
    _security_event("grant.revoked", user, by, role=described["role"], scope=described["scope"])


@transaction.atomic
def administrators_split(
    *, system: User, security: User, audit: User, retire_province_admin: bool = False
) -> list[Grant]:
    """Move an installation to 三员分立: give three different people the system, security and audit
    administrator roles over everything, taking their province_admin grants away first (the roles
    conflict). With ``retire_province_admin`` every other province_admin grant goes too. Set-up work
    of the operator (no ``by``): administrators never grant these roles."""
    from .defaults import ensure_default_roles

    require_actor()
    people = {"system": system, "security": security, "audit": audit}
    if len({u.pk for u in people.values()}) != 3:
        raise ValidationFailed(_("三员分立：系统、安全、审计管理员必须是三个不同的账号"))
    roles = ensure_default_roles()
    given = []
    for part, user in people.items():
        for grant in user.grants.select_related("role").filter(role__code__in=ADMINISTRATOR_ROLES):
            if grant.role.code != f"{part}_admin":
                grant_delete(by=None, grant=grant)
        if not user.grants.filter(role__code=f"{part}_admin", scope=Scope.ALL).exists():
            given.append(grant_create(user=user, role=roles[f"{part}_admin"], scope=Scope.ALL))
    if retire_province_admin:
        for grant in Grant.objects.filter(role__code="province_admin").select_related("user", "role"):
            grant_delete(by=None, grant=grant)
    return given


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
