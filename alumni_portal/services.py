"""Audit trail and notifications: the services every app calls."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import AuditLog, Notification

logger = logging.getLogger(__name__)

MAX_DELIVERY_ATTEMPTS = 5
DELIVERY_LEASE = timedelta(minutes=5)


def audit_log(
    *,
    actor,
    action: str,
    target: models.Model,
    study_program=None,
    data: dict[str, Any] | None = None,
) -> AuditLog:
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        study_program=study_program,
        data=data or {},
    )


def notification_claim(
    *, key: str, kind: str, recipient, template: str, context: dict[str, Any], link: str = ""
) -> Notification | None:
    """Insert the notification row (the claim) and schedule its delivery after commit.

    Returns None when the key was claimed before: that message was already sent or is on its way.
    The subject and body are rendered now, in the recipient's language, from `<template>_subject.txt` and
    `<template>_body.txt`.
    """
    if link.startswith("/"):
        link = f"{settings.SITE_URL}{link}"
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        ctx = {"recipient": recipient, "link": link, "site_name": settings.SITE_NAME, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", ctx).split())
        body = render_to_string(f"{template}_body.txt", ctx).strip()
    try:
        # A savepoint, so that a duplicate key does not break the caller's transaction.
        with transaction.atomic():
            notification = Notification.objects.create(
                key=key, kind=kind, recipient=recipient, subject=subject[:200], body=body, link=link
            )
    except IntegrityError:
        return None
    from .tasks import deliver_notification

    transaction.on_commit(lambda: deliver_notification.delay(notification.pk))
    return notification


def notification_deliver(*, notification_id: int) -> bool:
    """Send one claimed notification by email; True when it went out now.

    The row is leased for this attempt with a conditional update (only one worker's update matches), and the
    email is sent outside any transaction: a slow SMTP server must not hold database locks.
    """
    now = timezone.now()
    claimed = (
        Notification.objects.unsent()
        .filter(models.Q(locked_until__isnull=True) | models.Q(locked_until__lt=now), pk=notification_id)
        .update(attempts=models.F("attempts") + 1, locked_until=now + DELIVERY_LEASE)
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    recipient = notification.recipient
    if not recipient.is_active or not recipient.email:
        Notification.objects.filter(pk=notification_id).update(failed_at=timezone.now(), last_error="no recipient")
        return False
    body = notification.body
    if notification.link:
        body = f"{body}\n\n{notification.link}"
    try:
        send_mail(notification.subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("notification %s: delivery failed: %s", notification_id, exc)
        failed = {"failed_at": timezone.now()} if notification.attempts >= MAX_DELIVERY_ATTEMPTS else {}
        Notification.objects.filter(pk=notification_id).update(
            last_error=str(exc)[:1000], locked_until=None, **failed
        )
        raise
    Notification.objects.filter(pk=notification_id).update(sent_at=timezone.now(), last_error="")
    return True
