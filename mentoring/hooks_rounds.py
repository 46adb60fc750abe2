"""Start-up registrations of the rounds part of mentoring (called by mentoring.registrations.register_all)."""

from __future__ import annotations


def register() -> None:
    """Nothing to register yet."""
