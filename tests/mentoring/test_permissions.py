"""The mentoring pages in the permission matrix: every mentoring URL, requested by every persona (the six
of tests/alumni/test_permissions.py, the pending member, an approved employer contact and a verified student), with
the status each must get. Each part of mentoring keeps its rows in its own module (matrix_<part>.py); a mentoring URL
without a row fails tests/alumni/test_permissions.py::test_every_portal_url_is_in_the_matrix.

The row format and the runner: tests/matrix.py.
"""

from __future__ import annotations

import pytest

from ..matrix import build_objects, check, merged
from . import matrix_mentorships, matrix_profiles, matrix_requests, matrix_rounds

PERSONAS = [
    "anonymous", "alumnus_a", "alumnus_b", "pending", "staff_x", "staff_y", "admin_user", "employer", "student",
]
PARTS = (matrix_profiles, matrix_requests, matrix_mentorships, matrix_rounds)
MATRIX = merged(PARTS)


@pytest.fixture
def mentoring_objects(request, prodi_x, prodi_y):
    return build_objects(request, PARTS, PERSONAS, prodi_x, prodi_y)


def test_every_row_names_every_persona():
    for name, (_method, _arg, expected) in MATRIX.items():
        assert set(expected) == set(PERSONAS), name


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(MATRIX))
def test_mentoring_permission_matrix(name, persona, mentoring_objects, request):
    check(MATRIX, name, persona, mentoring_objects, request)
