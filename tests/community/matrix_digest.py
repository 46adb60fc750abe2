"""Permission-matrix rows of the community digest pages (collected by tests/community/test_permissions.py).

ROWS: {url name: (method, object key or None, {persona: status or LOGIN})}, every persona of PERSONAS.
objects(p): builds the objects the rows name, from p = {persona name: user, "prodi_x": …, "prodi_y": …}.
"""

from __future__ import annotations

LOGIN = "login"

ROWS: dict = {}


def objects(p: dict) -> dict:
    return {}
