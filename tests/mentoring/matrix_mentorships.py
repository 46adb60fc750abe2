"""Permission-matrix rows of the mentoring mentorships pages (collected by tests/mentoring/test_permissions.py).

ROWS: {url name: (method, object key or None, {persona: status or LOGIN})}, every persona of PERSONAS.
objects(p): the world of matrix_profiles (Bagus mentors Ani: "mentorship_ab"). Staff never open a mentorship."""

from __future__ import annotations

from .matrix_profiles import STAFF_ONLY, world

LOGIN = "login"
PAIR_ONLY = {"anonymous": LOGIN, "student": 404, "pending": 404, "staff_x": 404, "staff_y": 404,
             "admin_user": 404, "employer": 404}

ROWS: dict = {
    "mentoring:mentorship_detail": ("get", "mentorship_ab", {**PAIR_ONLY, "alumnus_a": 200, "alumnus_b": 200}),
    # Empty forms re-render the page with their errors.
    "mentoring:mentorship_update": ("post", "mentorship_ab", {**PAIR_ONLY, "alumnus_a": 200, "alumnus_b": 200}),
    "mentoring:meeting_add": ("post", "mentorship_ab", {**PAIR_ONLY, "alumnus_a": 200, "alumnus_b": 200}),
    "mentoring:mentorship_end": ("post", "mentorship_ab", {**PAIR_ONLY, "alumnus_a": 302, "alumnus_b": 302}),
    "mentoring:feedback_give": ("post", "mentorship_ab", {**PAIR_ONLY, "alumnus_a": 200, "alumnus_b": 200}),
    "mentoring:staff": ("get", None, {**STAFF_ONLY, "staff_x": 200, "staff_y": 200, "admin_user": 200}),
}


def objects(p: dict) -> dict:
    return world(p)
