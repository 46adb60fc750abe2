"""Careers periodic tasks of the alerts part: thin, they call careers.ticks and careers.digest."""

from celery import shared_task

from .digest import digest_send
from .ticks import careers_tick


@shared_task
def run_careers_ticks() -> dict:
    """Close posts past their closing date, remind posters three days before. Safe to run twice or concurrently."""
    run = careers_tick()
    return {"closed": run.closed, "reminded": run.reminded}


@shared_task
def send_job_digests() -> dict:
    """The weekly digest, claimed once per person and ISO week (hourly: the first run of a week sends it)."""
    run = digest_send()
    return {"posts": run.posts, "people": run.people_read, "claimed": run.claimed}
