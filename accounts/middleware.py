from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

SUPPORTED = dict(settings.LANGUAGES)
SESSION_KEY = "beian_language"


def remember_language(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
    """On sign-in, the profile's language becomes the session's (``user_logged_in`` receiver)."""
    language = getattr(user, "language", "")
    if hasattr(request, "session") and language:
        request.session[SESSION_KEY] = language


def _supported(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return get_supported_language_variant(code)
    except LookupError:
        return None


def _from_accept_language(header: str) -> str | None:
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        found = _supported(code)
        if found:
            return found
    return None


class LanguageMiddleware:
    """Simplified Chinese unless the user chose otherwise.

    Web pages follow the user's choice (cookie, then profile) and otherwise stay in Chinese even in
    an English browser; the API follows ``Accept-Language`` as its contract says.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self._language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch = response.headers.get("Vary", "")
        if "Accept-Language" not in patch:
            response.headers["Vary"] = ", ".join(filter(None, [patch, "Accept-Language", "Cookie"]))
        translation.deactivate()
        return response

    def _language(self, request: HttpRequest) -> str:
        if request.path.startswith("/api/"):
            header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
            return _from_accept_language(header) or settings.LANGUAGE_CODE
        chosen = _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        if chosen:
            return chosen
        # The profile's language is copied into the session at sign-in (no query per request).
        return _supported(request.session.get(SESSION_KEY)) or settings.LANGUAGE_CODE
