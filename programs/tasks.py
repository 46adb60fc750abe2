"""Thin tasks: the reminder tick that beat runs every few minutes (settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .reminders import reminders_tick


@shared_task
def run_reminders() -> dict:
    """One reminder tick. Safe to run twice or concurrently: every message is claimed by a unique key."""
    return reminders_tick()
