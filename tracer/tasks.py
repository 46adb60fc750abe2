"""Thin tasks: the tracer reminder tick (settings.CELERY_BEAT_SCHEDULE) and the invitation emails of a launch."""

from celery import shared_task

from .reminders import tracer_reminders_tick
from .services import send_invitation_emails


@shared_task
def run_tracer_reminders() -> dict:
    """One tracer reminder tick. Safe to run twice or concurrently: every reminder is claimed by a unique key."""
    return tracer_reminders_tick()


@shared_task
def send_tracer_invitation_emails(wave_id: str) -> int:
    """Email the personal link to this wave's invitees without an account (each at most once)."""
    return send_invitation_emails(wave_id=wave_id)
