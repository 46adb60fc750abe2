from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    """Mentoring: mentor profiles, requests, mentorships with meetings and feedback, matching rounds."""

    name = "mentoring"
    verbose_name = _("Mentoring")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import registrations

        registrations.register_all()
