"""The mentoring pages in the permission matrix: every mentoring URL, requested by every persona (the six
of tests/alumni/test_permissions.py, the pending member, an approved employer contact and a verified student), with
the status each must get. Each part of mentoring keeps its rows in its own module (matrix_<part>.py); a mentoring URL
without a row fails tests/alumni/test_permissions.py::test_every_portal_url_is_in_the_matrix.

Row format: {url name: (method, object key or None, {persona: status or LOGIN})}. An object key names what the
part's objects(p) built: a model instance (its pk is the URL argument), a string (the argument itself), or a tuple
(several URL arguments, then a query string, "" for none).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from ..conftest import client_for
from . import matrix_mentorships, matrix_profiles, matrix_requests, matrix_rounds

LOGIN = "login"
PERSONAS = [
    "anonymous", "alumnus_a", "alumnus_b", "pending", "staff_x", "staff_y", "admin_user", "employer", "student",
]
FIXTURES = {"anonymous": "anonymous", "pending": "pending_person", "employer": "employer_contact"}
PARTS = (matrix_profiles, matrix_requests, matrix_mentorships, matrix_rounds)

MATRIX: dict = {}
for _part in PARTS:
    _overlap = set(MATRIX) & set(_part.ROWS)
    assert not _overlap, f"rows named twice: {_overlap}"
    MATRIX.update(_part.ROWS)


@pytest.fixture
def mentoring_objects(request, prodi_x, prodi_y):
    people = {persona: request.getfixturevalue(FIXTURES.get(persona, persona)) for persona in PERSONAS}
    built: dict = {}
    for part in PARTS:
        built.update(part.objects({**people, "prodi_x": prodi_x, "prodi_y": prodi_y}))
    return built


def test_every_row_names_every_persona():
    for name, (_method, _arg, expected) in MATRIX.items():
        assert set(expected) == set(PERSONAS), name


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(MATRIX))
def test_mentoring_permission_matrix(name, persona, mentoring_objects, request):
    method, arg, expected = MATRIX[name]
    user = request.getfixturevalue(FIXTURES.get(persona, persona))
    value = mentoring_objects[arg] if arg else None
    query = ""
    if isinstance(value, tuple):
        *args, query = value
    else:
        args = [] if value is None else [value if isinstance(value, str) else value.pk]
    url = reverse(name, args=args) + query
    client = client_for(user)
    response = client.post(url, {}) if method == "post" else client.get(url)
    want = expected[persona]
    if want == LOGIN:
        assert response.status_code == 302, f"{persona} {method.upper()} {url}"
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == want, f"{persona} {method.upper()} {url}"
