"""Shared rows every domain app writes: the audit trail, the exactly-once notification log and each person's
choice of optional notifications. The domains register what these rows mean to them in core.registry."""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .access import scope_for
from .registry import ACTION_LABELS, TARGET_DESCRIBERS


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
        # Index names as created when the table belonged to alumni_portal (moved to core without a rebuild).
        indexes = [models.Index(fields=["target_type", "target_id"], name="alumni_port_target__15c5d6_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    @property
    def target_label(self) -> str:
        """The object as the activity list shows it, in the reader's language (core.registry.TARGET_DESCRIBERS);
        an entry scrubbed when its person deleted their account keeps its marker."""
        describe = TARGET_DESCRIBERS.get(self.target_type)
        if describe is None or not isinstance(self.data, dict) or self.data.get("redacted"):
            return self.target_repr
        return describe(self) or self.target_repr

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
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    # The address of someone without an account (a sign-up invitation, a tracer link, a supervisor): set when
    # `recipient` is empty, rendered in `language` (empty: the portal's default).
    to_email = models.EmailField(_("address"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    # "<prefix>:<reference>": a file built at send time by the builder registered for the prefix
    # (core.registry.register_attachment_builder), e.g. "donations.receipt:<donation id>".
    attachment = models.CharField(_("attachment"), max_length=200, blank=True)
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
        indexes = [models.Index(fields=["sent_at", "failed_at"], name="alumni_port_sent_at_eeb7aa_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(to_email=""), name="notification_has_an_address"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient or self.to_email}: {self.subject}"

    @property
    def address(self) -> str:
        return self.recipient.email if self.recipient_id else self.to_email


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
    # One of core.registry.OPTIONAL_KINDS (registered by the domains; checked by the preferences service).
    kind = models.CharField(_("kind"), max_length=50)
    enabled = models.BooleanField(_("send"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NotificationPreferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}: {'on' if self.enabled else 'off'}"
