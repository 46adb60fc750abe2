from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    """A signed-in person's saved language wins over the browser's; anonymous visitors get LocaleMiddleware's
    choice (cookie, then Accept-Language, then Bahasa Indonesia). Sits after LocaleMiddleware."""

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
