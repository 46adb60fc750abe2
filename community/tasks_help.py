"""Community periodic tasks of the help and digest parts: thin, they call community.ticks_help and
community.digest."""

from celery import shared_task

from .digest import digest_send
from .ticks_help import help_tick


@shared_task
def run_help_ticks() -> dict:
    """Skill emails (one a person and day) and escalation of unanswered questions. Safe to run concurrently."""
    run = help_tick()
    return {"skill_emails": run.skill_emails, "escalated": run.escalated}


@shared_task
def send_community_digests() -> dict:
    """The weekly group digest, claimed once per person and ISO week (hourly: the first run of a week sends it)."""
    run = digest_send()
    return {"people": run.people_read, "claimed": run.claimed}
