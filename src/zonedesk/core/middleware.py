from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, Literal, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_vary_headers

from zonedesk.core.audit import acting_as
from zonedesk.core.logs import RequestContext, current_request, request_context

GetResponse = Callable[[HttpRequest], HttpResponseBase]
SameSite = Literal["Lax", "Strict", "None", False] | None
request_log = logging.getLogger("zonedesk.request")


class RequestContextMiddleware:
    """Gives each request an id and names its user and route for the log (core.logs).

    First in ``MIDDLEWARE``, so every line logged while the request is handled carries the id; the
    history rows the request writes carry it too (core.audit), and the response returns it in
    ``X-Request-ID`` for a person reporting a problem. One ``request.finished`` line per request.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        context = RequestContext(route=request.path)
        started = time.perf_counter()
        with request_context(context):
            response = self.get_response(request)
            user = getattr(request, "user", None)  # already read by LanguageMiddleware: no query
            if not context.user and user is not None and user.is_authenticated:
                context.user = user.get_username()  # an API token's user (api.auth sets request.user)
            request_log.info(
                "request.finished",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
        response.headers["X-Request-ID"] = context.request_id
        return response

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        # By now the URL is resolved and the session's user known; a token user is named later (__call__).
        context = current_request()
        if context is None:
            return
        match = request.resolver_match
        if match is not None and match.route:
            context.route = match.route
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            context.user = user.get_username()


class RequestActorMiddleware:
    """Every web request runs as its logged-in user, so page writes land in the history with a name.

    API requests authenticate inside django-ninja; the API layer opens its own ``acting_as``.
    Anonymous requests get no actor context at all: they cannot write.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/api/"):
            with acting_as(user, source="web"):
                return self.get_response(request)
        return self.get_response(request)


class LanguageMiddleware:
    """Chinese unless this person chose English: their saved choice once logged in, else the language cookie.

    Unlike Django's LocaleMiddleware the browser's Accept-Language is never consulted: a government
    office PC set up in English must still show the Chinese workspace. The language is active only for
    this request (``override``), so nothing after it in the same thread inherits it.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        supported = dict(settings.LANGUAGES)
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        user = getattr(request, "user", None)
        saved = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        language = next((code for code in (saved, cookie) if code in supported), settings.LANGUAGE_CODE)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        if saved in supported and cookie != saved:
            # The login page after logging out should speak the language the user chose.
            set_language_cookie(response, saved)
        return response


def set_language_cookie(response: HttpResponseBase, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=cast(SameSite, settings.LANGUAGE_COOKIE_SAMESITE),
    )
