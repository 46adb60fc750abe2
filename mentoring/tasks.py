"""Celery finds an app's tasks in its `tasks` module: mentoring keeps them in one module per part, imported here."""

__all__: list[str] = []
