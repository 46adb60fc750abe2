"""What the programs app's audit actions and optional notification kinds are called: registered with core in
ProgramsConfig.ready() (core.registry), so that the shared activity lists and preferences page can show them."""

from django.utils.translation import gettext_lazy as _

# {dotted action: label} of every audit entry this app writes.
AUDIT_ACTIONS = {
    "programs.program.proposed": _("program proposed"),
    "programs.program.created": _("program created"),
    "programs.program.updated": _("program updated"),
    "programs.program.approved": _("program approved"),
    "programs.program.rejected": _("program rejected"),
    "programs.program.running": _("program running"),
    "programs.program.completed": _("program completed"),
    "programs.program.cancelled": _("program cancelled"),
    "programs.program.lapsed": _("program lapsed"),
    "programs.session.scheduled": _("session scheduled"),
    "programs.session.updated": _("session updated"),
    "programs.session.cancelled": _("session cancelled"),
    "programs.session.registered": _("registered for a session"),
    "programs.session.waitlisted": _("joined a waitlist"),
    "programs.session.unregistered": _("registration cancelled"),
    "programs.session.attendance": _("attendance marked"),
    "programs.participation.added": _("team member added"),
    "programs.participation.removed": _("team member removed"),
    "programs.team_invitation.sent": _("team invitation sent"),
    "programs.team_invitation.accepted": _("team invitation accepted"),
    "programs.team_invitation.declined": _("team invitation declined"),
    "programs.team_invitation.withdrawn": _("team invitation withdrawn"),
}

# {kind: (label, help text)}: the reminders of this app a person may turn off on the preferences page.
OPTIONAL_NOTIFICATIONS = {
    "session_tomorrow": (
        _("Session tomorrow"),
        _("The day before a session you registered for or speak at."),
    ),
    "program_due_soon": (
        _("Program session due"),
        _("For persons in charge and study-program staff: a program's next session is due within a week or late, "
          "and none is scheduled yet."),
    ),
    "program_lapsed": (
        _("Program lapsed"),
        _("For study-program staff: a program went longer than its grace period without a session."),
    ),
    "proposal_waiting": (
        _("Proposal waiting for a decision"),
        _("For study-program staff: a program proposal has waited a week or more (repeated weekly)."),
    ),
}
