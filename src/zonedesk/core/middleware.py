from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

from zonedesk.core.audit import acting_as


class RequestActorMiddleware:
    """Every web request runs as its logged-in user, so page writes land in the history with a name.

    API requests authenticate inside django-ninja; the API layer opens its own ``acting_as``.
    Anonymous requests get no actor context at all: they cannot write.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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


def set_language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
