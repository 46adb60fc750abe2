"""Thin tasks: take an id, call a service."""

import smtplib
from datetime import timedelta

from celery import shared_task

from .services import MAX_DELIVERY_ATTEMPTS, notification_deliver


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    max_retries=MAX_DELIVERY_ATTEMPTS,
)
def deliver_notification(notification_id: int) -> bool:
    return notification_deliver(notification_id=notification_id)


@shared_task
def deliver_pending_notifications(limit: int = 500) -> int:
    """Safety net for the beat schedule: sends claimed notifications a crash left unsent."""
    from django.utils import timezone

    from .models import Notification

    # Leave fresh rows to the task queued at claim time.
    stale = timezone.now() - timedelta(minutes=2)
    sent = 0
    pending = Notification.objects.unsent().filter(created_at__lt=stale).order_by("created_at")
    for pk in pending.values_list("pk", flat=True)[:limit]:
        try:
            sent += notification_deliver(notification_id=pk)
        except (smtplib.SMTPException, OSError):
            continue
    return sent
