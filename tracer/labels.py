"""What the tracer study's audit actions and optional notification kinds are called: registered with core in
TracerConfig.ready() (core.registry), so that the shared activity lists and preferences page can show them."""

from django.utils.translation import gettext_lazy as _

# {dotted action: label} of every audit entry this app writes.
AUDIT_ACTIONS = {
    "tracer.results.exported": _("tracer answers exported"),
    "tracer.lkps.drilled_down": _("graduates behind an accreditation count viewed"),
    "tracer.text_answers.viewed": _("free-text tracer answers viewed"),
    "tracer.question.added": _("survey question added"),
    "tracer.question.updated": _("survey question changed"),
    "tracer.question.removed": _("survey question removed"),
    "tracer.wave.created": _("tracer wave created"),
    "tracer.wave.launched": _("tracer wave launched"),
    "tracer.wave.closed": _("tracer wave closed"),
    "tracer.employer.invited": _("employer asked to rate a graduate"),
    "tracer.invitation.objected": _("tracer emails stopped from the email's link"),
    "tracer.lkps.exported": _("accreditation report downloaded"),
    "tracer.lkps.plan_updated": _("follow-up plans written"),
    "tracer.minimum_wage.saved": _("minimum wage set"),
    "tracer.iku.target_set": _("IKU-1 target set"),
}

# {kind: (label, help text)}: the reminders of this app a person may turn off on the preferences page.
OPTIONAL_NOTIFICATIONS = {
    "tracer_reminder": (
        _("Tracer study reminders"),
        _("Reminders to answer a tracer study you were invited to and have not submitted yet."),
    ),
}
