"""The second factor itself lives in django-otp's tables (otp_totp.TOTPDevice, otp_static.StaticDevice);
this app only adds the gate's view of it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zonedesk.access.models import User
from zonedesk.access.scoping import RestrictedQuerySet, ScopeSpec


class SecondFactor(User):
    """An account seen as the holder of a second factor: what a security administrator may see and reset
    (``view``/``change`` on "secondfactor"), reached through the account's unit and zone like its records."""

    objects = RestrictedQuerySet.as_manager()  # type: ignore[assignment,misc]
    scope = ScopeSpec(zone="unit__zone", units=("unit",), owners=("pk",))

    class Meta:
        proxy = True
        verbose_name = _("双因素认证")
