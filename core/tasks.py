"""Thin tasks: take an id, call a service."""

import smtplib
import time
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import Notification
from .notifications import MAX_DELIVERY_ATTEMPTS, notification_deliver, notifications_deliver

# The sweep sends in batches of this many rows (one query and one SMTP connection each) until nothing stale is
# left or its time budget is spent; the next tick (every few minutes) goes on from there.
SWEEP_BATCH = 500
SWEEP_BUDGET_SECONDS = 50
# Fresh rows are left to the task queued at claim time, unless that task already tried and failed.
# settings.NOTIFICATION_SWEEP_STALE_SECONDS overrides it (bench/faults.py shortens it).
SWEEP_STALE_AFTER = timedelta(minutes=2)


def sweep_stale_after() -> timedelta:
    seconds = getattr(settings, "NOTIFICATION_SWEEP_STALE_SECONDS", None)
    return SWEEP_STALE_AFTER if seconds is None else timedelta(seconds=seconds)


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    max_retries=MAX_DELIVERY_ATTEMPTS,
)
def deliver_notification(notification_id: int) -> bool:
    return notification_deliver(notification_id=notification_id)


@shared_task
def deliver_notifications(notification_ids: list[int]) -> int:
    """Deliver a batch claimed together (a reminder tick, invitations) over one SMTP connection. Each row is leased
    on its own, so a row another worker is sending, or one already sent, is skipped. A failed send stays unsent
    with its attempt counted, and the sweep (deliver_pending_notifications) tries it again: the batch itself is
    never retried."""
    return notifications_deliver(notification_ids)[0]


@shared_task
def deliver_pending_notifications(batch: int = SWEEP_BATCH, budget: float = SWEEP_BUDGET_SECONDS) -> int:
    """Safety net, run at the start of every reminder tick: sends what a crash or a failed send left unsent, at the
    send rate — batch after batch, oldest first, until none is left or `budget` seconds are spent. Each row is tried
    at most once per run; a row that used up MAX_DELIVERY_ATTEMPTS (failed sends, or workers killed while sending
    it) is marked failed, which staff see in the admin."""
    now = timezone.now()
    deadline = time.monotonic() + budget
    pending = (
        Notification.objects.unsent()
        .filter(Q(created_at__lt=now - sweep_stale_after()) | Q(attempts__gt=0))
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .order_by("pk")
    )
    sent, after = 0, 0
    while time.monotonic() < deadline:
        rows = list(pending.filter(pk__gt=after).values_list("pk", "attempts")[:batch])
        if not rows:
            break
        spent = [pk for pk, attempts in rows if attempts >= MAX_DELIVERY_ATTEMPTS]
        if spent:
            Notification.objects.filter(pk__in=spent, sent_at__isnull=True).update(
                failed_at=timezone.now(), last_error="gave up after too many attempts", locked_until=None
            )
        batch_sent, _tried = notifications_deliver(
            [pk for pk, attempts in rows if attempts < MAX_DELIVERY_ATTEMPTS], deadline=deadline
        )
        sent += batch_sent
        after = rows[-1][0]
    return sent
