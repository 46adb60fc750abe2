from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlumniPortalConfig(AppConfig):
    name = "alumni_portal"
    verbose_name = _("Portal: audit trail and notifications")
