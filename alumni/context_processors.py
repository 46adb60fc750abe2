from django.conf import settings

from .scope import scope_for


def roles(request):
    """`scope` (what the person may do) for menus; the scope is cached on request.user, so this costs no
    extra query on pages that already checked permissions."""
    user = getattr(request, "user", None)
    return {"scope": scope_for(user), "SITE_NAME": settings.SITE_NAME}
