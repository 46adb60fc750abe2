"""Start-up registrations of the posts part of careers (called by careers.registrations.register_all)."""

from __future__ import annotations


def register() -> None:
    """Filled in by the posts part."""
