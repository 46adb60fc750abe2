"""Careers periodic tasks: introductions part."""

from celery import shared_task


@shared_task
def run_introduction_ticks() -> None:
    """Filled in by the introductions part: expiry and outcome questions."""
