"""Writes to the organisation: units (with their tree path), users, grants and API tokens."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zonedesk.core.audit import log_change, require_actor, snapshot
from zonedesk.core.errors import ValidationFailed, full_clean_or_fail
from zonedesk.core.security_record import log_event

from .choices import Scope
from .models import ApiToken, Grant, OrgUnit, Role, User


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
    log_event("grant.created", user=require_actor().user, target=user.get_username(), target_id=user.pk,
              role=role.code, scope=scope, zone=getattr(zone, "pk", None), units=[u.pk for u in units or []])  # fmt: skip
    return grant


def token_create(*, user: User, name: str = "") -> str:
    """Issue a personal API token and return it; only its hash is kept."""
    require_actor()
    token, raw = ApiToken.issue(user, name=name)
    log_change(user, "update", None, {"api_token": token.prefix}, note="创建 API 令牌")
    return raw


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
