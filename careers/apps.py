from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareersConfig(AppConfig):
    """The careers network: job posts, job alerts, introductions to alumni at an employer, organisations."""

    name = "careers"
    verbose_name = _("Careers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import registrations

        registrations.register_all()
