"""The demo's community (seed_demo): filled in by the lead."""

from __future__ import annotations


def seed_demo(rng) -> str:
    """Nothing yet."""
    return ""
