"""Session timeouts and the forced password change, for users signed in through a session.

Both sit after AuthenticationMiddleware and MessageMiddleware (config/settings/base.py). API token
requests are not session users here (django-ninja authenticates them later) and pass untouched. Time is
``django.utils.timezone.now()``, so tests control it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .policy import session_policy
from .services import password_due

GetResponse = Callable[[HttpRequest], HttpResponseBase]
LOGIN_AT = "identity.login_at"
SEEN_AT = "identity.seen_at"
PASSWORD_DUE = "identity.password_due"  # ISO time the password must be changed by, "" for never
# Last-seen is written back at most this often, so a page view is not a session write every time.
SEEN_RESOLUTION = dt.timedelta(seconds=60)


def _read(request: HttpRequest, key: str) -> dt.datetime | None:
    raw = request.session.get(key)
    try:
        return dt.datetime.fromisoformat(raw) if raw else None
    except (TypeError, ValueError):
        return None


def start_session(request: HttpRequest, now: dt.datetime | None = None) -> None:
    """Called at login (the login view): the session's clocks start."""
    now = now or timezone.now()
    request.session[LOGIN_AT] = now.isoformat()
    request.session[SEEN_AT] = now.isoformat()
    request.session.pop(PASSWORD_DUE, None)


def forget_password_due(request: HttpRequest) -> None:
    """After a password change in this session: read the state again on the next request."""
    request.session.pop(PASSWORD_DUE, None)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class SessionTimeoutMiddleware:
    """Logs a session user out after ZONEDESK_SESSION_IDLE_MINUTES without a request, or
    ZONEDESK_SESSION_MAX_HOURS after the login, whichever comes first, and sends them to the login page
    with "会话已超时，请重新登录" (an API request gets 401)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return self.get_response(request)
        now = timezone.now()
        policy = session_policy()
        login_at, seen_at = _read(request, LOGIN_AT), _read(request, SEEN_AT)
        if login_at is None:  # a session made without the login page (force_login): its clocks start now
            start_session(request, now)
        elif now - (seen_at or login_at) > policy.idle or now - login_at > policy.lifetime:
            logout(request)
            return self.timed_out(request)
        elif seen_at is None or now - seen_at >= SEEN_RESOLUTION:
            request.session[SEEN_AT] = now.isoformat()
        return self.get_response(request)

    def timed_out(self, request: HttpRequest) -> HttpResponseBase:
        message = _("会话已超时，请重新登录")
        if _is_api(request):
            return JsonResponse({"detail": message}, status=401)
        messages.warning(request, message)
        login = resolve_url(settings.LOGIN_URL)
        target = request.get_full_path() if request.method == "GET" else ""
        return HttpResponseRedirect(f"{login}?{urlencode({'next': target})}" if target else login)


def _allowed_while_due(request: HttpRequest) -> bool:
    if request.path.startswith(settings.STATIC_URL or "/static/"):
        return True
    return request.path in {
        reverse("identity:password-change"),
        reverse("web:logout"),
        reverse("web:language"),
        # The second factor comes first: enrolling or verifying it must not be sent back here.
        reverse("factors:enrol"),
        reverse("factors:verify"),
    }


class PasswordChangeRequiredMiddleware:
    """A session user whose password has expired or was reset goes to the change page, and nothing else
    answers them but logging out, static files and the language switch (an API request gets 403)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return self.get_response(request)
        if PASSWORD_DUE not in request.session:
            due = password_due(user)
            request.session[PASSWORD_DUE] = due.isoformat() if due else ""
        due = _read(request, PASSWORD_DUE)
        if due is None or timezone.now() < due or _allowed_while_due(request):
            return self.get_response(request)
        message = _("您的密码已过期或已被管理员重置，请先修改密码")
        if _is_api(request):
            return JsonResponse({"detail": message}, status=403)
        return HttpResponseRedirect(reverse("identity:password-change"))
