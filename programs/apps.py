from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    """Alumni programs (guest lectures, mentoring, reunions, …), their sessions, participation and health."""

    name = "programs"
    verbose_name = _("Programs")

    def ready(self):
        from alumni.privacy import register_personal_data

        from .privacy import anonymise_team_invitations, export_team_invitations

        # Invitations to a program team name the invited person by email: theirs to download, gone on deletion.
        register_personal_data(
            "team_invitations", export=export_team_invitations, anonymise=anonymise_team_invitations
        )
