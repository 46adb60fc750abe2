from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlumniConfig(AppConfig):
    name = "alumni"
    verbose_name = _("Alumni and study programs")

    def ready(self):
        from core import registry

        from . import labels, privacy, scope

        # The permission door (every visible_to, core's included) and the consent ledger are this app's.
        registry.register_scope_resolver(scope.compute_scope)
        registry.register_consent_check(privacy.purposes_withheld)
        registry.register_action_labels(labels.AUDIT_ACTIONS)
