from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class AlumniConfig(AppConfig):
    name = "alumni"
    verbose_name = _("Alumni and study programs")

    def ready(self):
        from core import registry

        from . import audit_targets, dashboard_cache, directory_pages, labels, privacy, reference, scope
        from .importing import invitations
        from .models import AlumniProfile, Consent, Employment, Faculty, Role, StudyProgram, User, Vouch

        # The permission door (every visible_to, core's included) and the consent ledger are this app's.
        registry.register_scope_resolver(scope.cached_scope)
        registry.register_consent_check(privacy.purposes_withheld)
        registry.register_action_labels(labels.AUDIT_ACTIONS)
        for target_type, describe in audit_targets.DESCRIBERS.items():
            registry.register_target_describer(target_type, describe)
        # Sign-up invitations go through core's outbox; a sent row marks the invitation sent.
        registry.register_sent_hook(invitations.INVITATION_KIND, invitations.mark_invitation_sent)
        # Right before sending: the record may have been claimed by an account since the invitation was claimed.
        registry.register_send_check(invitations.INVITATION_KIND, invitations.invitation_unwanted)
        # The filter forms' cached options follow the reference tables.
        for model in reference.TABLES.values():
            for signal in (post_save, post_delete):
                signal.connect(reference.forget_reference_choices, sender=model, weak=False,
                               dispatch_uid=f"alumni-choices-{model.__name__}")
        # A changed record, job or account: no directory page rendered before it is served again.
        for model in (AlumniProfile, Employment, User):
            for signal in (post_save, post_delete):
                signal.connect(directory_pages.record_changed, sender=model, weak=False,
                               dispatch_uid=f"alumni-directory-{model.__name__}")
        # A changed role, or study programs moving between institutions: every cached scope is computed again.
        for model in (Role, StudyProgram, Faculty):
            for signal in (post_save, post_delete):
                signal.connect(scope.roles_changed, sender=model, weak=False,
                               dispatch_uid=f"alumni-roles-{model.__name__}")
        # A privacy choice or a vouch: the members' dashboards that show them are built again.
        for model in (Consent, Vouch):
            for signal in (post_save, post_delete):
                signal.connect(dashboard_cache.personal_changed, sender=model, weak=False,
                               dispatch_uid=f"alumni-dashboard-{model.__name__}")
