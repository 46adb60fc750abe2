"""Careers periodic tasks: alerts part."""

from celery import shared_task


@shared_task
def run_careers_ticks() -> None:
    """Filled in by the alerts part: close posts past their closing date, remind posters three days before."""


@shared_task
def send_job_digests() -> None:
    """Filled in by the alerts part: the weekly digest."""
