"""Celery finds an app's tasks in its `tasks` module: community keeps them in one module per part, imported here."""

from .tasks_groups import sync_cohort_groups
from .tasks_help import run_help_ticks, send_community_digests

__all__ = ["run_help_ticks", "send_community_digests", "sync_cohort_groups"]
