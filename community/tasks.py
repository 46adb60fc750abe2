"""Celery finds an app's tasks in its `tasks` module: community keeps them in one module per part, imported here."""

__all__: list[str] = []
