"""The permission matrices of the apps that keep their rows per part (careers, mentoring, community): each app's
test_permissions.py names its personas and parts; the rows are merged, the objects built and each (URL, persona)
requested here.

Row format: {url name: (method, object key or None, {persona: status or LOGIN})}. An object key names what a
part's objects(p) built: a model instance (its pk is the URL argument), a string (the argument itself), or a tuple
(several URL arguments, then a query string, "" for none).
"""

from __future__ import annotations

from django.urls import reverse

from .conftest import client_for

LOGIN = "login"
FIXTURES = {"anonymous": "anonymous", "pending": "pending_person", "employer": "employer_contact"}


def merged(parts) -> dict:
    """The rows of every part; a URL named by two parts is an error."""
    matrix: dict = {}
    for part in parts:
        overlap = set(matrix) & set(part.ROWS)
        assert not overlap, f"rows named twice: {overlap}"
        matrix.update(part.ROWS)
    return matrix


def person(request, persona: str):
    return request.getfixturevalue(FIXTURES.get(persona, persona))


def build_objects(request, parts, personas, prodi_x, prodi_y) -> dict:
    people = {persona: person(request, persona) for persona in personas}
    built: dict = {}
    for part in parts:
        built.update(part.objects({**people, "prodi_x": prodi_x, "prodi_y": prodi_y}))
    return built


def check(matrix: dict, name: str, persona: str, objects: dict, request) -> None:
    """Request the row's URL as the persona: the status (or the login redirect) the row says."""
    method, arg, expected = matrix[name]
    value = objects[arg] if arg else None
    query = ""
    if isinstance(value, tuple):  # several URL arguments, and a query string last
        *args, query = value
    else:
        args = [] if value is None else [value if isinstance(value, str) else value.pk]
    url = reverse(name, args=args) + query
    client = client_for(person(request, persona))
    response = client.post(url, {}) if method == "post" else client.get(url)
    want = expected[persona]
    if want == LOGIN:
        assert response.status_code == 302, f"{persona} {method.upper()} {url}"
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == want, f"{persona} {method.upper()} {url}"
