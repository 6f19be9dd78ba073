"""Reads for the administration pages: what an administrator administers. Every one passes the gate."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from .models import OrgUnit, User
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
