"""Permission-matrix rows of the careers alerts pages (collected by tests/careers/test_permissions.py).

ROWS: {url name: (method, object key or None, {persona: status or LOGIN})}, every persona of PERSONAS.
objects(p): builds the objects the rows name, from p = {persona name: user, "prodi_x": …, "prodi_y": …}.

Job alerts are for members (verified alumni and students): the digest lists the posts of one's own study
program. A pending person, staff without a record of their own and an employer contact have none: 403.
"""

from __future__ import annotations

LOGIN = "login"

_MEMBERS_ONLY = {
    "anonymous": LOGIN, "alumnus_a": 200, "alumnus_b": 200, "pending": 403, "staff_x": 403, "staff_y": 403,
    "admin_user": 403, "employer": 403,
}

ROWS: dict = {
    "careers:alerts": ("get", None, _MEMBERS_ONLY),
}


def objects(p: dict) -> dict:
    return {}
