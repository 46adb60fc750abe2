"""Services schedule tasks by name (core.dispatch.enqueue) instead of importing them: every name they send must
be a registered task, and the task must run only once the transaction commits."""

import ast
import pathlib

import pytest
from celery import current_app

from core.dispatch import enqueue, task_by_name

ROOT = pathlib.Path(__file__).resolve().parents[2]
APPS = ["core", "alumni", "programs", "tracer", "donations"]


def enqueued_names() -> set[str]:
    names = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "enqueue" and node.args
                        and isinstance(node.args[0], ast.Constant)):
                    names.add(node.args[0].value)
    return names


def test_every_task_a_service_sends_by_name_exists():
    names = enqueued_names()
    # The outbox deliveries (every email, invitations included), receipts, rejections and tracer invitation emails.
    assert len(names) >= 5, names
    found = {name: task_by_name(name).name for name in names}
    assert found == {name: name for name in names}


@pytest.mark.django_db
def test_enqueue_sends_after_commit_and_not_on_rollback(django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    task = current_app.tasks["core.tasks.deliver_notifications"]
    monkeypatch.setattr(task, "apply_async", lambda args=(), kwargs=None: sent.append((args, kwargs)))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue("core.tasks.deliver_notifications", [1, 2])
        assert sent == []  # not before the commit
    assert len(callbacks) == 1
    assert sent == [(([1, 2],), {})]


def test_a_misspelt_task_name_fails_loudly(django_capture_on_commit_callbacks, db):
    with pytest.raises(KeyError), django_capture_on_commit_callbacks(execute=True):
        enqueue("core.tasks.no_such_task")
