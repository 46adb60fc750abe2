"""Celery tasks of giving: the receipt, rejection and void emails after a decision, and the tick that turns pledges
into due instalments and reminds donors (beat, every 15 minutes)."""

from celery import shared_task

from .receipts import email_receipt
from .reminders import notify_rejection, notify_void
from .reminders import run_giving_reminders as tick


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_receipt(donation_id: str) -> bool:
    """Email the numbered receipt (PDF attached) of a verified donation, once."""
    return email_receipt(donation_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_rejection(donation_id: str) -> bool:
    """Tell the donor their donation was rejected, and why (exactly once, through the notification claims)."""
    return notify_rejection(donation_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_void_notice(donation_id: str) -> bool:
    """Tell the donor their verified donation was voided, its receipt cancelled, and why (exactly once)."""
    return notify_void(donation_id)


@shared_task
def run_giving_reminders() -> dict:
    return tick()
