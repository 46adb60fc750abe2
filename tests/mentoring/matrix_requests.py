"""Permission-matrix rows of the mentoring requests pages (collected by tests/mentoring/test_permissions.py).

ROWS: {url name: (method, object key or None, {persona: status or LOGIN})}, every persona of PERSONAS.
objects(p): the world of matrix_profiles (Dewi's open request to Bagus, "request_db")."""

from __future__ import annotations

from .matrix_profiles import MEMBERS, NOT_MEMBERS_403, world

LOGIN = "login"
ONLY_THE_TWO = {"alumnus_a": 404, "pending": 404, "staff_x": 404, "staff_y": 404, "admin_user": 404,
                "employer": 404}

ROWS: dict = {
    # Bagus asking himself sees why not (200, no form).
    "mentoring:request_new": ("get", "mentor_b", {"anonymous": LOGIN, **MEMBERS, **NOT_MEMBERS_403}),
    "mentoring:request_detail": ("get", "request_db", {
        "anonymous": LOGIN, "alumnus_b": 200, "student": 200, **ONLY_THE_TWO,
    }),
    # The mentor answers (an empty accept form takes the defaults); the mentee may not.
    "mentoring:request_accept": ("post", "request_db", {
        "anonymous": LOGIN, "alumnus_b": 302, "student": 403, **ONLY_THE_TWO,
    }),
    "mentoring:request_decline": ("post", "request_db", {
        "anonymous": LOGIN, "alumnus_b": 302, "student": 403, **ONLY_THE_TWO,
    }),
    "mentoring:request_withdraw": ("post", "request_db", {
        "anonymous": LOGIN, "alumnus_b": 403, "student": 302, **ONLY_THE_TWO,
    }),
}


def objects(p: dict) -> dict:
    return world(p)
