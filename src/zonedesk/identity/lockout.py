"""Lockout and throttling on django-axes (``AXES_*`` in config/settings/base.py point here).

axes records each failed login (``AccessAttempt``: username, address, count, time) and refuses a login
while the failures reach the limit. It has one limit for every lockout parameter; zonedesk counts two:
ZONEDESK_LOCKOUT_FAILURES for one account and ZONEDESK_LOCKOUT_ADDRESS_FAILURES for one client address
(an office behind one NAT address must not lock itself out after five typos). ``LockoutHandler`` folds the
two into the one number axes compares. A lock lasts ZONEDESK_LOCKOUT_MINUTES from the failure that set
it (failures while locked are not counted, so they do not extend it); a successful login clears the
account's count, not the address's. Locks and unlocks are security events on "zonedesk.security".
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.db.models import Max, Sum
from django.http import HttpRequest
from django.utils import timezone

from .policy import lockout_policy

security_log = logging.getLogger("zonedesk.security")


def failure_limit(request: HttpRequest | None, credentials: Any) -> int:
    """AXES_FAILURE_LIMIT: the account limit (``LockoutHandler.get_failures`` scales the address count)."""
    return lockout_policy().failures


def cool_off(request: HttpRequest | None) -> dt.timedelta:
    """AXES_COOLOFF_TIME."""
    return lockout_policy().duration


@dataclass(frozen=True)
class Lock:
    by: str  # "username" (the account is locked) or "address" (the client address is throttled)
    until: dt.datetime


def _recent(now: dt.datetime) -> Any:
    return AccessAttempt.objects.filter(attempt_time__gte=now - lockout_policy().duration)


def _count_and_last(attempts: Any) -> tuple[int, dt.datetime | None]:
    row = attempts.aggregate(n=Sum("failures_since_start"), last=Max("attempt_time"))
    return row["n"] or 0, row["last"]


def current_lock(username: str | None, address: str | None, now: dt.datetime | None = None) -> Lock | None:
    """The lock that refuses this username or address now, the account's first; None when neither is."""
    now = now or timezone.now()
    policy = lockout_policy()
    if username:
        n, last = _count_and_last(_recent(now).filter(username=username))
        if n >= policy.failures and last is not None:
            return Lock("username", last + policy.duration)
    if address:
        n, last = _count_and_last(_recent(now).filter(ip_address=address))
        if n >= policy.address_failures and last is not None:
            return Lock("address", last + policy.duration)
    return None


def locked_accounts(now: dt.datetime | None = None) -> list[tuple[str, Lock]]:
    """(username, lock) for every account locked now, for the administrators' page."""
    now = now or timezone.now()
    names = _recent(now).exclude(username=None).values_list("username", flat=True).distinct()
    found = []
    for name in sorted(set(names)):
        lock = current_lock(name, None, now)
        if lock is not None:
            found.append((name, lock))
    return found


def clear_account(username: str) -> int:
    """Forget the account's failures (its lock with them); the address counts stay."""
    count, _ = AccessAttempt.objects.filter(username=username).delete()
    return count


def clear_address(address: str) -> int:
    count, _ = AccessAttempt.objects.filter(ip_address=address).delete()
    return count


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request: Any, credentials: dict | None = None) -> int:
        # axes compares this with failure_limit() (the account limit): an address over its own, higher
        # limit reads as the account limit, so either one locks.
        by_account, by_address = 0, 0
        for attempts, parameter in zip(self.get_user_attempts(request, credentials), ("username", "address")):
            n = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            if parameter == "username":
                by_account = n
            else:
                by_address = n
        policy = lockout_policy()
        if by_address >= policy.address_failures:
            return max(by_account, policy.failures)
        return by_account

    def user_login_failed(self, sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
        already = bool(getattr(request, "axes_locked_out", False))
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or already or not getattr(request, "axes_locked_out", False):
            return
        # This failure set the lock: record it once (the refused attempts that follow are login.failed).
        username = str(credentials.get("username") or "")
        address = request.axes_ip_address or ""
        lock = current_lock(username, address, request.axes_attempt_time)
        log_lock_event(
            "account.locked",
            username=username,
            address=address,
            locked_by=lock.by if lock else "username",
            until=lock.until.isoformat() if lock else "",
        )

    def user_logged_in(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        super().user_logged_in(sender, request, user, **kwargs)
        # Consecutive failures: a successful login starts the account's count again.
        clear_account(user.get_username())


def log_lock_event(event: str, *, username: str, address: str, **fields: Any) -> None:
    from django.contrib.auth import get_user_model

    user_id = get_user_model().objects.filter(username=username).values_list("pk", flat=True).first()
    security_log.warning(
        event,
        extra={"event": event, "username": username, "user_id": user_id, "address": address, **fields},
    )
