"""Writes of the second factor: enrolment, recovery codes, verification and the administrator's reset; and
the policy's rule for API tokens (an administrator who must have a second factor gets none without one).

The one-time passwords are django-otp's (RFC 6238 TOTP with its replay guard, drift and throttling); nothing
here computes or compares a code itself. Every change is in the history (on the account) and each event is
logged on "zonedesk.security" with ``extra={"event": …}``."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zonedesk.access.models import User
from zonedesk.access.services import token_create
from zonedesk.core.audit import current_actor, log_change, require_actor
from zonedesk.core.errors import NotPermitted, ValidationFailed
from zonedesk.core.permissions import ensure_may_act

from .models import SecondFactor
from .policy import is_enrolled, requires_mfa

security_log = logging.getLogger("zonedesk.security")

RECOVERY_CODES = 10
AUTHENTICATOR_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def _event(event: str, user: Any, level: int = logging.INFO, **fields: Any) -> None:
    actor = current_actor()
    security_log.log(
        level,
        event,
        extra={
            "event": event,
            "username": user.get_username(),
            "actor": actor.display if actor is not None else "",
            **fields,
        },
    )


def _forget(user: Any) -> None:
    # delattr, not __dict__: request.user is a lazy wrapper that passes attribute deletion through.
    try:
        del user._zonedesk_totp_enrolled
    except AttributeError:
        pass


def totp_pending(*, user: User) -> TOTPDevice:
    """The authenticator being enrolled: the user's unconfirmed TOTP device, made on first call. Its key is
    shown (QR code and text) until the first code confirms it; nothing is recorded until then."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def totp_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the pending authenticator with its first code; return the 10 recovery codes (shown once).

    A wrong code leaves the device pending (and django-otp throttles the next attempt)."""
    require_actor()
    if device.user_id != user.pk or device.confirmed:
        raise ValidationFailed(_("没有待启用的验证器"), fields={"code": [_("请重新开始启用")]})
    if not device.verify_token(_clean(code)):
        raise ValidationFailed(
            _("验证码不正确"), fields={"code": [_("验证码不正确或已过期，请输入验证器当前显示的 6 位数字")]}
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = _new_recovery_codes(user)
    _forget(user)
    log_change(user, "update", None, {"mfa": "totp"}, note="启用双因素认证")
    _event("mfa.enrolled", user, device="totp")
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """Replace the user's recovery codes with 10 new ones (the old ones stop working); shown once."""
    require_actor()
    if not is_enrolled(user):
        raise ValidationFailed(_("尚未启用双因素认证"), fields={"code": [_("请先启用验证器")]})
    codes = _new_recovery_codes(user)
    log_change(user, "update", None, {"mfa": "recovery_codes"}, note="重新生成恢复码")
    _event("mfa.recovery_renewed", user)
    return codes


def mfa_verify(*, user: User, code: str) -> Any:
    """The confirmed device (authenticator or recovery code) that accepts ``code``, or None.

    A recovery code is used up by the match (django-otp deletes it). Each attempt is logged."""
    code = _clean(code)
    devices = [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]
    for device in devices:
        # A recovery code is 8 letters and digits, an authenticator's code 6 digits: ask only the one that fits.
        if isinstance(device, TOTPDevice) and not code.isdigit():
            continue
        if device.verify_token(code):
            kind = "recovery" if isinstance(device, StaticDevice) else "totp"
            fields: dict[str, Any] = {"device": kind}
            if kind == "recovery":
                fields["recovery_codes_left"] = device.token_set.count()
            _event("mfa.verified", user, **fields)
            return device
    _event("mfa.failed", user, logging.WARNING)
    return None


@transaction.atomic
def mfa_reset(*, user: User, actor: User | None, reason: str = "") -> int:
    """Remove every second factor of ``user`` (a lost phone): they enrol again at their next login, and any
    session they verified with it is no longer verified. ``actor`` must reach the account with ``change``
    on the second factor (a security administrator); ``None`` is the server's operator (the command line).
    Returns the number of devices removed."""
    require_actor()
    if actor is not None:
        if actor.pk == user.pk:
            raise NotPermitted(_("不能重置自己的双因素认证，请联系安全管理员"))
        ensure_may_act(actor, "change", SecondFactor(pk=user.pk), _("您无权重置该账号的双因素认证"))
    removed = TOTPDevice.objects.filter(user=user).count() + StaticDevice.objects.filter(user=user).count()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _forget(user)
    log_change(user, "update", None, {"mfa": "reset", "reason": reason[:200]}, note="重置双因素认证")
    _event("mfa.reset", user, removed=removed, reason=reason[:200])
    return removed


def token_issue(
    *, user: User, name: str = "", days: int | None = None, now: dt.datetime | None = None
) -> str:
    """A new API token for ``user``: refused to an account that must have a second factor and has none (the
    token would be a way around it). The page, the API and ``zonedesk token create`` all come here."""
    if requires_mfa(user) and not is_enrolled(user):
        raise NotPermitted(_("须先启用双因素认证才能创建 API 令牌"))
    return token_create(user=user, name=name, days=days, now=now)


def _clean(code: str) -> str:
    return "".join(str(code or "").split()).replace("-", "").lower()[:32]
