"""Celery finds an app's tasks in its `tasks` module: careers keeps them in one module per part, imported here."""

from .tasks_alerts import run_careers_ticks, send_job_digests
from .tasks_introductions import run_introduction_ticks

__all__ = ["run_careers_ticks", "run_introduction_ticks", "send_job_digests"]
