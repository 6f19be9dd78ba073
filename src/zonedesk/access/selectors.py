"""Reads of the organisation that are not a plain ``restrict()``: what an administrator administers, and the
API tokens a person may see. Every one passes the gate."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from .models import ApiToken, OrgUnit, User
from .scoping import reach_q, restrict


def administered_units(by: Any):
    """The units ``by`` administers: the one gate, with the "administer" action on org units."""
    return restrict(by, "administer", OrgUnit)


def administers_everything(by: Any) -> bool:
    return reach_q(by, "administer", OrgUnit) == Q()


def administered_users(by: Any):
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
