"""Start-up registrations of the requests part of mentoring (called by mentoring.registrations.register_all)."""

from __future__ import annotations


def register() -> None:
    """Nothing to register yet."""
