"""Careers periodic tasks: introductions part (expiry, outcome questions). Thin: the services decide."""

from celery import shared_task

from . import services_introductions


@shared_task
def run_introduction_ticks() -> dict:
    """Expire unanswered requests (the requester is told once) and ask what came of applications and accepted
    introductions a month ago (once each). Safe to run twice and concurrently."""
    return {
        "expired_notices": services_introductions.introductions_expire(),
        "outcome_questions": services_introductions.outcomes_ask(),
    }
