from django.conf import settings
from django.contrib import admin
from django.urls import include, path

# Every app's URLs are included by name (a string), so this package imports none of them (pyproject.toml's
# import-linter contract): the front page and the dashboard are alumni's, the language switch and the
# notification choices core's.
urlpatterns = [
    path("", include("alumni.urls_site")),
    path("", include("core.urls")),
    path("accounts/", include("allauth.urls")),
    path("alumni/", include("alumni.urls")),
    path("programs/", include("programs.urls")),
    path("tracer/", include("tracer.urls")),
    path("giving/", include("donations.urls")),
    path("careers/", include("careers.urls")),
    path("mentoring/", include("mentoring.urls")),
    path("community/", include("community.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.views.defaults import page_not_found, permission_denied, server_error

    # Preview the error pages while developing.
    urlpatterns += [
        path("_errors/403/", permission_denied, {"exception": Exception()}),
        path("_errors/404/", page_not_found, {"exception": Exception()}),
        path("_errors/500/", server_error),
    ]
