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
