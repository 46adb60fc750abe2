"""Mentoring periodic task of the requests part (beat: every 15 minutes). Thin: the services decide."""

from celery import shared_task

from . import services_requests


@shared_task
def run_mentoring_ticks() -> dict:
    """Expire requests unanswered after REQUEST_ANSWER_DAYS (the mentee is told once) and remind each mentor once
    of a request waiting REMIND_AFTER_DAYS. Safe to run twice or concurrently."""
    return {
        "expired_notices": services_requests.requests_expire(),
        "reminders": services_requests.requests_remind(),
    }
