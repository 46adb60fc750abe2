from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    """Alumni programs (guest lectures, mentoring, reunions, …), their sessions, participation and health."""

    name = "programs"
    verbose_name = _("Programs")
