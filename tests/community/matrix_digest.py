"""Permission-matrix rows of the community digest pages (collected by tests/community/test_permissions.py).

ROWS: {url name: (method, object key or None, {persona: status or LOGIN})}, every persona of PERSONAS.
objects(p): builds the objects the rows name, from p = {persona name: user, "prodi_x": …, "prodi_y": …}.

The digest preview is a member's own (verified alumni and students); pending people, staff-only accounts and
employer contacts have no digest: 403.
"""

from __future__ import annotations

LOGIN = "login"

ROWS: dict = {
    "community:digest_preview": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 200, "alumnus_b": 200, "pending": 403, "staff_x": 403, "staff_y": 403,
        "admin_user": 403, "employer": 403, "student": 200,
    }),
}


def objects(p: dict) -> dict:
    return {}
