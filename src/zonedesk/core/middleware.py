from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, Literal, cast

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponseBadRequest, HttpResponseBase, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.translation import gettext

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


class BadInputMiddleware:
    """Refuses, before any view runs, input no view could store: a NUL byte or a lone surrogate in the
    query string, a form body or a JSON body, and a JSON body over ``ZONEDESK_INPUT["API_MAX_BODY_BYTES"]``.

    The API answers with its JSON error shape (422, or 413 for the size); a page answers 400 with the
    field named. Multipart bodies are left to the views (their upload handlers and readers, and the
    form fields' own NUL check), so that no upload is parsed here."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        return self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponseBase | None:
        from zonedesk.core import inputs

        is_api = request.path.startswith("/api/")
        found = self._bad_in_querydict(request.GET) or (
            ("__path__", "nul") if "\x00" in request.path else None
        )
        if found is None and request.method in ("POST", "PUT", "PATCH", "DELETE"):
            content_type = request.content_type or ""
            if content_type == "application/x-www-form-urlencoded":
                found = self._bad_in_querydict(request.POST)
            elif content_type != "multipart/form-data" and (is_api or content_type == "application/json"):
                limit = int(inputs.limits()["API_MAX_BODY_BYTES"])
                try:
                    length = int(request.META.get("CONTENT_LENGTH") or 0)
                except ValueError:
                    length = 0
                if length > limit:
                    return _too_large(limit)
                try:
                    body = request.body
                except RequestDataTooBig:
                    return _too_large(limit)
                if len(body) > limit:
                    return _too_large(limit)
                found = _bad_in_json(body)
        if found is None:
            return None
        field, problem = found
        return _refused(request, field, problem, is_api=is_api)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponseBase | None:
        # A page's multipart form: by now CSRF has parsed it (so no view can still change its upload
        # handlers), except in a view exempt from CSRF, which is left to itself. Files are not read here.
        if (
            request.method != "POST"
            or request.path.startswith("/api/")
            or request.content_type != "multipart/form-data"
            or getattr(view, "csrf_exempt", False)
        ):
            return None
        found = self._bad_in_querydict(request.POST)
        return _refused(request, *found, is_api=False) if found else None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponseBase | None:
        # The last net under the pages' validation: a value the database cannot store is a 400, not a 500.
        from zonedesk.core import inputs

        if not inputs.is_unstorable_input(exception):
            return None
        request_log.warning("input the database refused", exc_info=exception)
        message = gettext("请求数据超出可存储的范围")
        return HttpResponseBadRequest(
            f"<!doctype html><meta charset=utf-8><title>{escape(message)}</title><p>{escape(message)}</p>",
            content_type="text/html; charset=utf-8",
        )

    @staticmethod
    def _bad_in_querydict(data: Any) -> tuple[str, str] | None:
        from zonedesk.core import inputs

        for key, values in data.lists():
            problem = inputs.bad_character(key)
            if problem:
                return key.replace("\x00", "\\x00"), problem
            for value in values:
                problem = inputs.bad_character(value)
                if problem:
                    return key, problem
        return None


def _bad_in_json(body: bytes) -> tuple[str, str] | None:
    import json

    from zonedesk.core import inputs

    if not body or (b"\\u" not in body and b"\x00" not in body):
        return None  # only an escape or a raw NUL can make a NUL or a lone surrogate
    try:
        data = json.loads(body)
    except ValueError:
        return None  # the API's parser says what is wrong with it
    return inputs.find_bad_text(data)


def bad_text_message(problem: str) -> str:
    """The field error for a text that cannot be stored ("nul" or "surrogate")."""
    if problem == "nul":
        return gettext("不能包含空字符（NUL）")
    return gettext("不能包含不成对的代理字符")


def _too_large(limit: int) -> HttpResponseBase:
    megabytes = f"{limit / 1_048_576:.1f}".rstrip("0").rstrip(".")
    body = {
        "detail": gettext("请求体过大（上限 %(size)s MB）") % {"size": megabytes},
        "code": "too_large",
        "fields": {},
    }
    return JsonResponse(body, status=413, json_dumps_params={"ensure_ascii": False})


def _refused(request: HttpRequest, field: str, problem: str, *, is_api: bool) -> HttpResponseBase:
    message = bad_text_message(problem)
    detail = gettext("请求数据有误：%(field)s：%(message)s") % {"field": field, "message": message}
    if is_api:
        body = {"detail": detail, "code": "invalid", "fields": {field: [message]}}
        return JsonResponse(body, status=422, json_dumps_params={"ensure_ascii": False})
    return HttpResponseBadRequest(
        f"<!doctype html><meta charset=utf-8><title>{escape(gettext('请求数据有误'))}</title>"
        f"<p>{escape(detail)}</p>",
        content_type="text/html; charset=utf-8",
    )
