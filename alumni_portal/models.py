"""Shared bits every domain app uses: the audit trail and the exactly-once notification log."""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alumni.scope import scope_for

# What each action reads as in the activity lists. An action without a label shows its dotted code.
ACTION_LABELS = {
    "alumni.study_program.created": _("study program created"),
    "alumni.study_program.updated": _("study program changed"),
    "alumni.faculty.created": _("faculty added"),
    "alumni.faculty.updated": _("faculty renamed"),
    "alumni.role.granted": _("role granted"),
    "alumni.role.revoked": _("role revoked"),
    "alumni.profile.claimed": _("graduate record claimed by its owner"),
    "alumni.profile.created": _("graduate record created"),
    "alumni.profile.verified": _("graduate record verified"),
    "alumni.profile.refused": _("graduate record not verified"),
    "alumni.profile.resubmitted": _("verification requested again"),
    "alumni.profile.vouched": _("classmate vouched for"),
    "alumni.profile.not_vouched": _("classmate not recognised"),
    "alumni.profile.updated": _("profile updated"),
    "alumni.employment.created": _("job added"),
    "alumni.employment.updated": _("job updated"),
    "alumni.employment.deleted": _("job removed"),
    "alumni.profile.merged": _("duplicate records merged"),
    "alumni.import.done": _("alumni list imported"),
    "alumni.import.conflict_kept": _("import conflict: record kept"),
    "alumni.import.conflict_applied": _("import conflict: file applied"),
    "alumni.profile.record_updated": _("academic record changed"),
    "alumni.profile.detached": _("graduate record detached from an account"),
    "alumni.correction.requested": _("record correction requested"),
    "alumni.correction.withdrawn": _("record correction withdrawn"),
    "alumni.correction.accepted": _("record correction accepted"),
    "alumni.correction.refused": _("record correction refused"),
    "alumni.directory.exported": _("directory exported"),
    "alumni.consent.granted": _("consent given"),
    "alumni.consent.withdrawn": _("consent withdrawn"),
    "alumni.data.exported": _("personal data downloaded"),
    "alumni.account.deleted": _("account deleted"),
    "alumni.profile.viewed": _("profile viewed by staff"),
    "alumni.import.file_deleted": _("import file deleted after the retention period"),
    "tracer.results.exported": _("tracer answers exported"),
    "tracer.lkps.drilled_down": _("graduates behind an accreditation count viewed"),
    "tracer.text_answers.viewed": _("free-text tracer answers viewed"),
    "donations.proof.viewed": _("transfer slip viewed"),
    "donations.receipt.downloaded": _("receipt downloaded"),
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
    "tracer.question.added": _("survey question added"),
    "tracer.question.updated": _("survey question changed"),
    "tracer.question.removed": _("survey question removed"),
    "tracer.wave.created": _("tracer wave created"),
    "tracer.wave.launched": _("tracer wave launched"),
    "tracer.wave.closed": _("tracer wave closed"),
    "tracer.employer.invited": _("employer asked to rate a graduate"),
    "tracer.lkps.exported": _("accreditation report downloaded"),
    "tracer.lkps.plan_updated": _("follow-up plans written"),
    "tracer.minimum_wage.saved": _("minimum wage set"),
    "donations.campaign.created": _("campaign created"),
    "donations.campaign.edited": _("campaign edited"),
    "donations.campaign.status_changed": _("campaign opened or closed"),
    "donations.campaign.payment_changed": _("campaign payment instructions changed"),
    "donations.campaign.update_posted": _("campaign update posted"),
    "donations.pledge.created": _("pledge made"),
    "donations.pledge.paused": _("pledge paused"),
    "donations.pledge.resumed": _("pledge resumed"),
    "donations.pledge.stopped": _("pledge stopped"),
    "donations.donation.submitted": _("donation submitted"),
    "donations.donation.verified": _("donation verified"),
    "donations.donation.rejected": _("donation rejected"),
    "donations.disbursement.recorded": _("disbursement recorded"),
}


class AuditLogQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        return self.filter(Q(actor_id=scope.user_id) | Q(study_program_id__in=scope.staff_program_ids))


class AuditLog(models.Model):
    """Who did what, to what, when. Actions are dotted names such as `alumni.role.granted`."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("who")
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.CharField(_("object type"), max_length=100)
    target_id = models.CharField(_("object id"), max_length=64)
    target_repr = models.CharField(_("object"), max_length=200)
    # The study program the object belongs to, so staff see the trail of their own programs only.
    study_program = models.ForeignKey(
        "alumni.StudyProgram", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("study program")
    )
    data = models.JSONField(_("details"), default=dict, blank=True)
    # Whose personal data a staff member read (exports, drill-downs, proofs, profiles): "reads of my data" is one
    # indexed query on this column. Empty for every other entry.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("whose data"),
    )

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    @property
    def field_labels(self) -> list[str]:
        """The names of the fields an entry says were changed (`data["fields"]`), as the object's form calls them.
        Entries about personal data hold names only, never values."""
        names = self.data.get("fields") if isinstance(self.data, dict) else None
        if not isinstance(names, list):
            return []
        try:
            meta = apps.get_model(self.target_type)._meta
        except (LookupError, ValueError):
            return [str(name) for name in names]
        labels = []
        for name in names:
            try:
                labels.append(str(meta.get_field(name).verbose_name))
            except FieldDoesNotExist:
                labels.append(str(name))
        return labels


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        return self.filter(recipient_id=scope.user_id)

    def unsent(self):
        return self.filter(sent_at__isnull=True, failed_at__isnull=True)


class Notification(models.Model):
    """A message to one person, claimed *before* it is sent.

    `key` is unique: it names the reason (kind, object, recipient, due date). Inserting the row is the claim, so a
    rerun, a duplicate tick or a retry can never send the same message twice; a crash after the claim and before
    the send leaves an unsent row that the next delivery pass picks up.
    """

    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=50, db_index=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    # The HTML alternative, rendered with the text from `<template>_body.html`; empty: the email is text only.
    body_html = models.TextField(_("HTML body"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # A delivery attempt leases the row until this time, so two workers never send the same row at once.
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["sent_at", "failed_at"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient}: {self.subject}"


# Notifications a person may turn off on /notifications/preferences/: the reminders. Everything else (a session
# cancelled, a seat from the waitlist, a decision on one's proposal, a role granted) answers something that just
# happened to that person and always goes out; allauth's account emails never pass through here.
OPTIONAL_KINDS = {
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
    "tracer_reminder": (
        _("Tracer study reminders"),
        _("Reminders to answer a tracer study you were invited to and have not submitted yet."),
    ),
    "pledge_due": (
        _("Pledge instalment due"),
        _("On the morning an instalment of your pledge is due (for example every Friday for a weekly wakaf). "
          "Sent only while you agree to fundraising contact."),
    ),
}


class NotificationPreferenceQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        return self.filter(user_id=scope.user_id) if scope.is_authenticated else self.none()


class NotificationPreference(models.Model):
    """One person's choice for one optional kind. No row means on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("person"),
    )
    kind = models.CharField(
        _("kind"), max_length=50, choices=[(code, label) for code, (label, _help) in OPTIONAL_KINDS.items()]
    )
    enabled = models.BooleanField(_("send"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NotificationPreferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}: {'on' if self.enabled else 'off'}"
