from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


def chosen_language(request: HttpRequest) -> str:
    """The language of a request before a signed-in person's saved one is applied: the one picked in the language
    switcher (its cookie), else the site's (LANGUAGE_CODE, Bahasa Indonesia). The browser's Accept-Language is
    asked only when LANGUAGE_FOLLOWS_BROWSER is on: many phones and laptops in Indonesia are set to English, and the
    portal of an Indonesian study program speaks Indonesian until the person picks another language."""
    if settings.LANGUAGE_FOLLOWS_BROWSER:
        return translation.get_language_from_request(request)
    picked = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if picked:
        try:
            return translation.get_supported_language_variant(picked)
        except LookupError:
            pass  # a cookie for a language the portal does not speak (any more): the site's language
    return settings.LANGUAGE_CODE


class SiteLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware (Content-Language on the response) with the choice of `chosen_language`. The
    portal uses no language prefixes in its URLs (no i18n_patterns), so the path says nothing about the language.
    The setting is read per request, so a test (or an institution's settings) can switch it."""

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response):
        if settings.LANGUAGE_FOLLOWS_BROWSER:
            return super().process_response(request, response)
        # The answer does not depend on Accept-Language, so no `Vary: Accept-Language`. It depends on the language
        # cookie: every page with the switcher uses the CSRF token, which adds `Vary: Cookie`.
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class UserLanguageMiddleware:
    """A signed-in person's saved language wins over everything else; anonymous visitors get the choice of
    SiteLanguageMiddleware (the switcher's cookie, then Bahasa Indonesia; the browser's only with
    LANGUAGE_FOLLOWS_BROWSER). Sits after SiteLanguageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


NO_STORE = "private, no-store"


class SecurityHeadersMiddleware:
    """Headers no view should have to remember:

    - `Permissions-Policy`: the portal uses no camera, microphone, location, payment API or sensors, so no page
      (nor anything injected into one) may ask for them (PERMISSIONS_POLICY);
    - `Cache-Control: private, no-store` on personal data: every download (`Content-Disposition: attachment`:
      directory, LKPS, tracer, ledger and giving exports, "Download my data", receipts, PDF proofs), every page a
      signed-in person sees (profiles, directory, privacy and "my data", donor pages, staff data pages), and
      the paths in NO_STORE_PATH_PREFIXES for everyone. A shared computer's browser cache, or a cache between the
      portal and the browser, keeps none of it. A view that chose a `private` or `no-store` policy itself (the
      profile photo) keeps its own; a download is always no-store.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(getattr(settings, "NO_STORE_PATH_PREFIXES", ()))
        self.permissions_policy = getattr(settings, "PERMISSIONS_POLICY", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if response.get("Content-Disposition", "").lower().startswith("attachment"):
            response["Cache-Control"] = NO_STORE
        elif self._personal(request) and not self._already_private(response):
            response["Cache-Control"] = NO_STORE
        return response

    def _personal(self, request) -> bool:
        user = getattr(request, "user", None)
        return (user is not None and user.is_authenticated) or request.path.startswith(self.prefixes)

    @staticmethod
    def _already_private(response) -> bool:
        policy = response.get("Cache-Control", "").lower()
        return "no-store" in policy or "private" in policy
