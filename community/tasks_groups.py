"""Community periodic tasks of the groups part: thin, they call services_groups."""

from celery import shared_task

from .services_groups import cohort_groups_sync


@shared_task
def sync_cohort_groups() -> dict:
    """Every verified record with an account in its cohort group: a catch-up for records the portal changed without
    a save signal (bulk imports). Safe to run twice or concurrently (memberships are unique per group and person)."""
    return cohort_groups_sync()
