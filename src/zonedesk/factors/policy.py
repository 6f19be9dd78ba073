"""Who must have a second factor, read from the settings in one place (config/settings/base.py:
ZONEDESK_MFA_REQUIRED_ROLES, ZONEDESK_MFA_REQUIRE_ALL_SCOPE)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from zonedesk.access.choices import Scope
from zonedesk.access.scoping import user_grants

DEFAULT_REQUIRED_ROLES = ("province_admin", "system_admin", "security_admin", "audit_admin")


def required_roles() -> frozenset[str]:
    return frozenset(getattr(settings, "ZONEDESK_MFA_REQUIRED_ROLES", DEFAULT_REQUIRED_ROLES))


def requires_mfa(user: Any) -> bool:
    """Whether ``user`` must have a second factor: an administrator role among the required ones, or (while
    ZONEDESK_MFA_REQUIRE_ALL_SCOPE is on) a grant reaching all zones or superuser status."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    grants = user_grants(user)
    if getattr(settings, "ZONEDESK_MFA_REQUIRE_ALL_SCOPE", True) and (
        user.is_superuser or any(g.scope == Scope.ALL for g in grants)
    ):
        return True
    roles = required_roles()
    return any(g.role.code in roles for g in grants)


def is_enrolled(user: Any) -> bool:
    """Whether ``user`` has a confirmed authenticator (TOTP). Recovery codes alone are not an enrolment."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_zonedesk_totp_enrolled", None)
    if cached is None:
        cached = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()
        user._zonedesk_totp_enrolled = cached
    return cached
