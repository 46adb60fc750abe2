"""Start-up registrations of the groups part of community (called by community.registrations.register_all)."""

from __future__ import annotations


def register() -> None:
    """Nothing to register yet."""
