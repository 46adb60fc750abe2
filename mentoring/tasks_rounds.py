"""Mentoring periodic tasks: rounds part. Thin: the services decide."""

from celery import shared_task

from . import services_rounds


@shared_task
def run_round_ticks() -> dict:
    """Propose the matching of each open round whose deadline has passed (its opener is told once). Safe to run
    twice and concurrently."""
    return {"proposed": services_rounds.rounds_tick()}
