"""Reads of the organisation that are not a plain ``restrict()``: what an administrator administers, and the
API tokens a person may see. Every one passes the gate."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from .defaults import ADMINISTRATOR_ROLES
from .models import ApiToken, OrgUnit, User
from .scoping import RestrictedQuerySet, reach_q, restrict, user_grants


def administered_units(by: Any) -> RestrictedQuerySet:
    """The units ``by`` administers: the one gate, with the "administer" action on org units."""
    return restrict(by, "administer", OrgUnit)


def administers_everything(by: Any) -> bool:
    return reach_q(by, "administer", OrgUnit) == Q()


def administered_users(by: Any) -> QuerySet[User]:
    """The people ``by`` administers: those of the units ``by`` administers. People of no unit and
    superusers only for an administrator of everything (and superusers only for a superuser)."""
    if reach_q(by, "administer", OrgUnit) is None:
        return User.objects.none()
    users = (
        User.objects.all()
        if administers_everything(by)
        else User.objects.filter(unit__in=administered_units(by))
    )
    if not getattr(by, "is_superuser", False):
        users = users.filter(is_superuser=False)
    return users


def tokens_visible(user: Any, action: str = "view") -> QuerySet[ApiToken]:
    """A person's own tokens, and those of the people a security administrator reaches (``action`` on
    ApiToken through the gate)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ApiToken.objects.none()
    reach = reach_q(user, action, ApiToken)
    own = Q(user_id=user.pk)
    q = own if reach is None else (Q() if not reach else own | reach)
    return ApiToken.objects.filter(q).select_related("user").order_by("-created_at", "-pk")


def secured_users(by: Any) -> QuerySet[User]:
    """The people whose security state ``by`` may change (unlock, reset a password or a second factor,
    revoke tokens): "secure" on "user" within ``by``'s grants — the security administrator's role.
    Superusers only for a superuser; never ``by`` themselves (nobody unlocks or resets their own account)."""
    q = reach_q(by, "secure", User)
    if q is None:
        return User.objects.none()
    users = User.objects.filter(q) if q else User.objects.all()
    if not getattr(by, "is_superuser", False):
        users = users.filter(is_superuser=False)
    return users.exclude(pk=by.pk)


def may_secure(by: Any, user: User) -> bool:
    """Whether ``by`` may unlock ``user`` or reset their password, second factor or tokens."""
    return secured_users(by).filter(pk=user.pk).exists()


def holds(user: Any, object_type: str, action: str) -> bool:
    """Whether one of ``user``'s grants allows ``action`` on ``object_type`` (superusers: always), for
    records that sit in no zone or unit, such as the security log ("view" on "securityevent")."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(g.role.allows(object_type, action) for g in user_grants(user))


def administrator_roles_of(user: User) -> list[str]:
    """The administrator roles (三员 and the province administrator) ``user`` holds, by code."""
    return sorted(
        {g.role.code for g in user.grants.select_related("role") if g.role.code in ADMINISTRATOR_ROLES}
    )
