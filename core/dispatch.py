"""The one way a service schedules follow-up work: a Celery task sent by name once the transaction commits.

Services never import tasks (tasks import services and call them), so the two never form a cycle. A task named
here must exist: Celery's registry raises `KeyError` at send time for a misspelt name, and
`tests/core/test_dispatch.py` checks every name a service sends against that registry.
Without REDIS_URL the task runs in-process (CELERY_TASK_ALWAYS_EAGER), right after the commit, as with `.delay()`.

A broker that cannot be reached when the task is sent does not fail the request: the work that matters is already
committed (an outbox row, `core.models.Notification`, is written with the change that owes it), the failure is
logged, and the periodic sweep (`core.tasks.deliver_pending_notifications`) sends what the lost task would have.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What sending to an unreachable broker raises (kombu wraps most of them in its OperationalError).
BROKER_ERRORS = (BrokerOperationalError, RedisConnectionError, RedisTimeoutError)


def enqueue(task_name: str, *args: Any, using: str | None = None, **kwargs: Any) -> None:
    """Send `task_name` with these arguments after the current transaction commits (at once outside one).

    After commit, because the task reads rows this transaction wrote: sent earlier, a worker could look for a
    row that is not there yet, or that a rollback takes away."""

    task = task_by_name(task_name)  # a misspelt name fails here, in the caller, not silently after commit

    def send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except BROKER_ERRORS as exc:
            logger.error("task %s not sent, the broker is unreachable (the sweep catches up): %s", task_name, exc)

    transaction.on_commit(send, using=using)


def task_by_name(task_name: str):
    """The registered task called `task_name`. A web process has imported only the tasks modules its own code
    imported: the first look-up of another one runs Celery's autodiscovery (every app's tasks.py), as a worker
    does when it starts. KeyError for a name no app defines."""
    app = current_app
    if task_name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[task_name]
