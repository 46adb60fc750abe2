from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("notifications/preferences/", views.notification_preferences, name="notification_preferences"),
    path("accounts/", include("allauth.urls")),
    path("alumni/", include("alumni.urls")),
    path("programs/", include("programs.urls")),
    path("tracer/", include("tracer.urls")),
    path("giving/", include("donations.urls")),
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
