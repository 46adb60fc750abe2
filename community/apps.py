from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    """Communities: cohort, region and interest groups with posts, comments, announcements, programs, help
    requests (Tanya & konsultasi), moderation and a weekly digest."""

    name = "community"
    verbose_name = _("Community")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import registrations

        registrations.register_all()
