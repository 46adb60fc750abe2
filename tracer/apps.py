from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TracerConfig(AppConfig):
    """Tracer study: surveys, waves, invitations, responses, employer survey and accreditation tables."""

    name = "tracer"
    verbose_name = _("Tracer study")

    def ready(self):
        from alumni.privacy import register_notification_purpose, register_personal_data
        from core import registry

        from . import demo, engine, labels, objections, services
        from .privacy import anonymise_tracer, export_tracer

        registry.register_action_labels(labels.AUDIT_ACTIONS)
        for code, (label, help_text) in labels.OPTIONAL_NOTIFICATIONS.items():
            registry.register_optional_kind(code, label, help_text)
        registry.register_demo_seeder("tracer", demo.seed_demo)
        # Objecting to the tracer study stops invitations and reminders at once.
        register_notification_purpose("tracer_invitation", "tracer")
        register_notification_purpose("tracer_reminder", "tracer")
        # Right before sending a link, a reminder or an employer-survey email: answered, closed, or objected since
        # the claim: not sent. Emails to an address carry the stop page in List-Unsubscribe (tracer.objections).
        for kind in (services.LINK_KIND, services.REMINDER_KIND, engine.EMPLOYER_KIND):
            registry.register_send_check(kind, services.link_unwanted)
            registry.register_unsubscribe_link(kind, objections.stop_url_for_notification,
                                              one_click=objections.one_click_url_for_notification)
        # "Download my data" and "Delete my account": tracer answers, invitations and the supervisors named.
        register_personal_data(
            "tracer", label=_("your tracer study invitations, your answers and the supervisors you named"),
            export=export_tracer, anonymise=anonymise_tracer,
        )
