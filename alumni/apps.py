from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlumniConfig(AppConfig):
    name = "alumni"
    verbose_name = _("Alumni and study programs")

    def ready(self):
        from core import registry

        from . import labels, privacy, scope
        from .importing import invitations

        # The permission door (every visible_to, core's included) and the consent ledger are this app's.
        registry.register_scope_resolver(scope.compute_scope)
        registry.register_consent_check(privacy.purposes_withheld)
        registry.register_action_labels(labels.AUDIT_ACTIONS)
        # Sign-up invitations go through core's outbox; a sent row marks the invitation sent.
        registry.register_sent_hook(invitations.INVITATION_KIND, invitations.mark_invitation_sent)
        # Right before sending: the record may have been claimed by an account since the invitation was claimed.
        registry.register_send_check(invitations.INVITATION_KIND, invitations.invitation_unwanted)
