"""Celery finds an app's tasks in its `tasks` module: mentoring keeps them in one module per part, imported here."""

from .tasks_requests import run_mentoring_ticks  # noqa: F401
from .tasks_rounds import run_round_ticks  # noqa: F401

__all__: list[str] = ["run_mentoring_ticks", "run_round_ticks"]
