"""Every password change and unlock, with history (core.audit) and a security event ("zonedesk.security").

- ``password_change``: the one path that sets a password after an account exists (the change page, the
  administrator's reset, the command line). The policy's validators run first, the old hash goes into
  the history, and every other session of the user ends (Django's session hash follows the password).
- ``password_reset_by_admin``: a one-time temporary password, shown once, that must be changed at the
  next login.
- ``account_unlock``: clears an account's failed logins (its lock), optionally an address's too.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import string
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.access.models import OrgUnit, User
from zonedesk.access.scoping import restrict
from zonedesk.access.services import token_revoke_all
from zonedesk.core.audit import log_change
from zonedesk.core.errors import NotPermitted, ValidationFailed

from . import lockout
from .models import PasswordHistory, PasswordState
from .policy import password_policy

security_log = logging.getLogger("zonedesk.security")
TEMPORARY_LENGTH = 14


def may_manage(admin: Any, user: Any) -> bool:
    """Whether ``admin`` may reset ``user``'s password or unlock them: a superuser, or someone who may change
    the user's unit (so within their own reach). The 三员 roles (issue 13, item 2) will narrow this to the
    security administrator; every caller asks here."""
    if admin is None or not getattr(admin, "is_authenticated", False) or not admin.is_active:
        return False
    if admin.is_superuser:
        return True
    if user.is_superuser or user.unit_id is None:  # a reset would hand over a superuser's account
        return False
    return restrict(admin, "change", OrgUnit).filter(pk=user.unit_id).exists()


def ensure_may_manage(admin: Any, user: Any) -> None:
    if not may_manage(admin, user):
        raise NotPermitted(_("您无权管理该用户的账户"))


def password_due(user: Any, now: dt.datetime | None = None) -> dt.datetime | None:
    """When this user must change their password: now or earlier when the change is due (a reset, or an
    expired password), None when never (ASVS mode, or ZONEDESK_PASSWORD_MAX_AGE_DAYS=0)."""
    state = PasswordState.objects.filter(user_id=user.pk).first()
    if state is not None and state.must_change_password:
        return state.changed_at
    max_age = password_policy().max_age
    if max_age is None:
        return None
    changed = state.changed_at if state is not None else user.date_joined
    return changed + max_age


def _event(event: str, *, user: Any, address: str, by: Any) -> None:
    security_log.info(
        event,
        extra={
            "event": event,
            "username": user.get_username(),
            "user_id": user.pk,
            "address": address,
            "by": by.get_username() if by is not None else "",
        },
    )


@transaction.atomic
def password_change(
    *,
    user: User,
    new_password: str,
    by: Any,
    temporary: bool = False,
    address: str = "",
    now: dt.datetime | None = None,
) -> None:
    """Set ``user``'s password. ``by`` is who does it: the user, an administrator (who must be allowed to
    manage the user) or None for the server's command line. ``temporary``: the next login must change it."""
    if by is not None and by.pk != user.pk:
        ensure_may_manage(by, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationFailed(_("密码不符合要求"), fields={"new_password": list(exc.messages)}) from exc
    now = now or timezone.now()
    state = PasswordState.objects.filter(user_id=user.pk).first()
    before = {"must_change_password": state.must_change_password if state else False}
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password, retired_at=now)
        keep = max(password_policy().history - 1, 0)
        stale = PasswordHistory.objects.filter(user_id=user.pk).values_list("pk", flat=True)[keep:]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()
    user.set_password(new_password)
    user.save(update_fields=["password"])
    PasswordState.objects.update_or_create(
        user=user, defaults={"changed_at": now, "must_change_password": temporary}
    )
    resetting = by is None or by.pk != user.pk
    # History notes stay Chinese whatever the author's language (README "Languages").
    note = "管理员重置密码" if temporary else ("修改密码" if not resetting else "管理员设置密码")
    log_change(user, "update", before, {"must_change_password": temporary}, note=note)
    # A new password ends every API token the old one stood behind (等保: credentials change together).
    token_revoke_all(user=user, reason="密码已修改" if not resetting else "密码已由管理员重置")
    _event("password.reset" if resetting else "password.changed", user=user, address=address, by=by)


def temporary_password() -> str:
    """14 random characters with every class, so it passes the policy in either mode."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
    while True:
        chars = [secrets.choice(alphabet) for _ in range(TEMPORARY_LENGTH - 2)]
        chars += [secrets.choice("23456789"), secrets.choice("!@#%+=?")]
        secrets.SystemRandom().shuffle(chars)
        candidate = "".join(chars)
        if any(c in string.ascii_uppercase for c in candidate) and any(
            c in string.ascii_lowercase for c in candidate
        ):
            return candidate


def password_reset_by_admin(
    *, admin: Any, user: User, address: str = "", now: dt.datetime | None = None
) -> str:
    """A temporary password for ``user`` (returned once, never stored in clear) that the next login must
    change. ``admin`` None: the server's command line. Also clears the account's lock."""
    if admin is not None:
        ensure_may_manage(admin, user)
    for _attempt in range(5):
        password = temporary_password()
        try:
            password_change(
                user=user, new_password=password, by=admin, temporary=True, address=address, now=now
            )
        except ValidationFailed:
            continue  # contains a username of three letters, or a common word: draw again
        lockout.clear_account(user.get_username())
        return password
    raise ValidationFailed(_("未能生成符合密码策略的临时密码，请检查密码策略设置"))


def account_unlock(*, admin: Any, username: str, address: str = "", client: str = "") -> int:
    """Clear the failed logins of ``username`` (and of the client ``address`` when given): returns how many
    records were removed. ``admin`` None: the server's command line. ``client``: the administrator's own
    address, for the event."""
    user = User.objects.filter(username=username).first()
    if admin is not None:
        # A username nobody has (an attacker's guess) locks too; only a superuser clears those.
        allowed = may_manage(admin, user) if user is not None else bool(admin.is_superuser)
        if not allowed:
            raise NotPermitted(_("您无权管理该用户的账户"))
    removed = lockout.clear_account(username)
    if address:
        removed += lockout.clear_address(address)
    security_log.warning(
        "account.unlocked",
        extra={
            "event": "account.unlocked",
            "username": username,
            "user_id": user.pk if user is not None else None,
            "address": client,
            "unlocked_address": address,
            "by": admin.get_username() if admin is not None else "",
        },
    )
    return removed
