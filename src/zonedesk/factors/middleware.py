"""After the password, the second factor: a logged-in person who must have one and has none can only enrol;
one who has one and has not entered a code this session can only verify. Installed after django-otp's
OTPMiddleware (which says whether this session is verified) in config/settings/base.py.

The login view is not touched: it logs in with the password and redirects as usual; this sends the next
request to enrolment or verification, with the page asked for kept in ``next``. Logging out, the language
switch, static files and the health check stay open.

The API: a bearer token is its own credential and is not asked for a code. A browser session that still
owes its code is no API credential at all (the request continues as anonymous: 401 unless it also carries
a valid token), so the session cannot go round the pages through /api/v1."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, reverse

from .policy import is_enrolled, requires_mfa

# Pages a person who owes the second factor may still open. A page that forces a password change before
# anything else should let these through too, and may be added here by name.
OPEN_URL_NAMES = (
    "web:logout",
    "web:language",
    "web:healthz",
    "factors:enrol",
    "factors:verify",
)


@cache
def _open_paths() -> frozenset[str]:
    paths = {resolve_url(settings.LOGIN_URL)}
    for name in OPEN_URL_NAMES:
        try:
            paths.add(reverse(name))
        except NoReverseMatch:
            continue
    return frozenset(paths)


def owed_step(user: object) -> str:
    """ "" when nothing is owed, else the URL name of the step this session must take first."""
    if not getattr(user, "is_authenticated", False):
        return ""
    if is_enrolled(user):
        return "" if user.is_verified() else "factors:verify"  # type: ignore[attr-defined]
    return "factors:enrol" if requires_mfa(user) else ""


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        path = request.path
        if path.startswith(settings.STATIC_URL) or path in _open_paths():
            return self.get_response(request)
        step = owed_step(request.user)
        if not step:
            return self.get_response(request)
        if path.startswith("/api/"):
            request.user = AnonymousUser()
            return self.get_response(request)
        target = reverse(step)
        next_url = request.get_full_path() if request.method in ("GET", "HEAD") else ""
        if next_url and next_url != "/":
            target += "?" + urlencode({"next": next_url})
        return HttpResponseRedirect(target)
