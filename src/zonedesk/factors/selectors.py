"""Reads of the second factor: the accounts a security administrator reaches, with their enrolment."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zonedesk.access.scoping import restrict

from .models import SecondFactor


def accounts_in_reach(user: Any) -> QuerySet:
    """The active accounts ``user`` may see the second factor of, each with ``enrolled`` (a confirmed
    authenticator) and ``recovery_left`` (unused recovery codes) annotated."""
    return (
        restrict(user, "view", SecondFactor)
        .filter(is_active=True)
        .annotate(
            enrolled=Exists(TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)),
            recovery_left=Count(
                "staticdevice__token_set",
                filter=Q(staticdevice__confirmed=True),
                distinct=True,
            ),
        )
        .select_related("unit")
        .order_by("username")
    )


def recovery_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user_id=user.pk, device__confirmed=True).count()
