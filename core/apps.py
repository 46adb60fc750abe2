from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The bottom layer: audit trail, exactly-once notifications, the registry the domains fill in, and shared
    helpers (images, PDFs, forms, task dispatch). It imports no domain app."""

    name = "core"
    verbose_name = _("Portal: audit trail and notifications")
