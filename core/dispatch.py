"""The one way a service schedules follow-up work: a Celery task sent by name once the transaction commits.

Services never import tasks (tasks import services and call them), so the two never form a cycle. A task named
here must exist: Celery's registry raises `KeyError` at send time for a misspelt name, and
`tests/core/test_dispatch.py` checks every name a service sends against that registry.
Without REDIS_URL the task runs in-process (CELERY_TASK_ALWAYS_EAGER), right after the commit, as with `.delay()`.
"""

from __future__ import annotations

from typing import Any

from celery import current_app
from django.db import transaction


def enqueue(task_name: str, *args: Any, using: str | None = None, **kwargs: Any) -> None:
    """Send `task_name` with these arguments after the current transaction commits (at once outside one).

    After commit, because the task reads rows this transaction wrote: sent earlier, a worker could look for a
    row that is not there yet, or that a rollback takes away."""

    def send() -> None:
        task_by_name(task_name).apply_async(args=args, kwargs=kwargs)

    transaction.on_commit(send, using=using)


def task_by_name(task_name: str):
    """The registered task called `task_name`. A web process has imported only the tasks modules its own code
    imported: the first look-up of another one runs Celery's autodiscovery (every app's tasks.py), as a worker
    does when it starts. KeyError for a name no app defines."""
    app = current_app
    if task_name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[task_name]
