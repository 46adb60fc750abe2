"""Thin tasks: take an id, call a service."""

import smtplib
from datetime import timedelta

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from .models import Notification
from .notifications import MAX_DELIVERY_ATTEMPTS, notification_deliver


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    max_retries=MAX_DELIVERY_ATTEMPTS,
)
def deliver_notification(notification_id: int) -> bool:
    return notification_deliver(notification_id=notification_id)


@shared_task
def deliver_notifications(notification_ids: list[int]) -> int:
    """Deliver a batch claimed together (a reminder tick). Each row is leased on its own, so a row another worker
    is sending, or one already sent, is skipped. A failed send stays unsent with its attempt counted, and the next
    tick's sweep (deliver_pending_notifications) tries it again: the batch itself is never retried."""
    sent = 0
    for pk in notification_ids:
        try:
            sent += notification_deliver(notification_id=pk)
        except (smtplib.SMTPException, OSError):
            continue  # logged by notification_deliver
    return sent


@shared_task
def deliver_pending_notifications(limit: int = 500) -> int:
    """Safety net, run at the start of every reminder tick: sends claimed notifications a crash or a failed send
    left unsent."""
    # Leave fresh rows to the task queued at claim time, unless that task already tried and failed.
    stale = timezone.now() - timedelta(minutes=2)
    sent = 0
    pending = Notification.objects.unsent().filter(Q(created_at__lt=stale) | Q(attempts__gt=0)).order_by("created_at")
    for pk in pending.values_list("pk", flat=True)[:limit]:
        try:
            sent += notification_deliver(notification_id=pk)
        except (smtplib.SMTPException, OSError):
            continue
    return sent
