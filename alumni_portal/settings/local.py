"""Laptop settings: `make run`. SQLite, eager Celery and console email unless the environment says otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
