from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TracerConfig(AppConfig):
    """Tracer study: surveys, waves, invitations, responses, employer survey and accreditation tables."""

    name = "tracer"
    verbose_name = _("Tracer study")

    def ready(self):
        from alumni.privacy import register_notification_purpose

        # Withdrawing tracer consent stops invitations and reminders at once.
        register_notification_purpose("tracer_invitation", "tracer")
        register_notification_purpose("tracer_reminder", "tracer")
