from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    """Alumni programs (guest lectures, mentoring, reunions, …), their sessions, participation and health."""

    name = "programs"
    verbose_name = _("Programs")

    def ready(self):
        from alumni.extensions import register_dashboard_card, register_profile_section
        from alumni.privacy import register_personal_data
        from core import registry

        from . import demo, labels, page_cache, services
        from .dashboard import program_cards
        from .privacy import (
            anonymise_team_invitations,
            delete_calendar_feed,
            export_calendar_feed,
            export_participations,
            export_proposals,
            export_team_invitations,
            participation_audit_targets,
        )
        from .profile import TEMPLATE, involvement_section

        registry.register_action_labels(labels.AUDIT_ACTIONS)
        for code, (label, help_text) in labels.OPTIONAL_NOTIFICATIONS.items():
            registry.register_optional_kind(code, label, help_text)
        registry.register_demo_seeder("programs", demo.seed_demo)
        # Sign-up emails of team invitations go through core's outbox; a sent row marks the invitation emailed.
        registry.register_sent_hook(services.TEAM_SIGNUP_KIND, services.mark_signup_email_sent)
        # Right before sending: the invitation may have been withdrawn or answered since it was claimed.
        registry.register_send_check(services.TEAM_SIGNUP_KIND, services.signup_email_unwanted)
        register_dashboard_card(program_cards, generations=[page_cache.PROGRAMS])
        register_profile_section(involvement_section, TEMPLATE)
        # What this app holds about a person, for "Download my data" and "Delete my account" (programs/privacy.py).
        register_personal_data(
            "participations", label=_("your part in programs and sessions (role, status, attendance)"),
            export=export_participations, audit_targets=participation_audit_targets,
        )
        register_personal_data("program_proposals", label=_("the programs you proposed"), export=export_proposals)
        register_personal_data("calendar_feed", label=_("whether you have a calendar feed"),
                               export=export_calendar_feed, anonymise=delete_calendar_feed)
        # Invitations to a program team name the invited person by email: theirs to download, gone on deletion.
        register_personal_data(
            "team_invitations", label=_("your invitations to program teams"), export=export_team_invitations,
            anonymise=anonymise_team_invitations,
        )
        # A program's page, and a member's dashboard, are cached until what they show changes (page_cache).
        for name in ("Program", "ProgramTransition", "Session", "Participation", "TeamInvitation"):
            for signal in (post_save, post_delete):
                signal.connect(page_cache.programs_changed, sender=self.get_model(name), weak=False,
                               dispatch_uid=f"programs-page-{name}")
