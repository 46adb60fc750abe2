from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TracerConfig(AppConfig):
    """Tracer study: surveys, waves, invitations, responses, employer survey and accreditation tables."""

    name = "tracer"
    verbose_name = _("Tracer study")
