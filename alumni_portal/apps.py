from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlumniPortalConfig(AppConfig):
    """The project package: settings, urls, the Celery app, middleware, the admin site. It held the audit log and
    notifications until they moved to `core` (migrations 0006 here and core 0001-0002); it stays installed so that
    databases created before the move keep their migration history."""

    name = "alumni_portal"
    verbose_name = _("Portal")
