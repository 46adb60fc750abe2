"""Permission-matrix rows of the careers organisations and employer-contact pages (collected by
tests/careers/test_permissions.py).

ROWS: {url name: (method, object key or None, {persona: status or LOGIN})}, every persona of PERSONAS.
objects(p): builds the objects the rows name, from p = {persona name: user, "prodi_x": …, "prodi_y": …}.

Decisions: organisations are institution-wide, so members and staff of any study program see every organisation
and staff of any study program (and admins) edit, alias and merge them. A pending person gets 403 everywhere. An
approved employer contact sees only their own organisation's page (another's is 404; their own is tested in
tests/careers/test_organisations_views.py) and neither the list nor the staff tools. Asking to be an employer
contact is for someone with no alumni record and no staff role (the others get 403; the employer, who already is
one, is sent to their status page). Decisions on a request are for the staff of the study program it names (staff of
another get 404); a POST without a decision changes nothing and goes back to the queue with the error (302).
"""

from __future__ import annotations

LOGIN = "login"

_MEMBERS_AND_STAFF = {
    "anonymous": LOGIN, "alumnus_a": 200, "alumnus_b": 200, "pending": 403, "staff_x": 200, "staff_y": 200,
    "admin_user": 200, "employer": 403,
}
_STAFF_TOOL = {
    "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403, "pending": 403, "staff_x": 200, "staff_y": 200,
    "admin_user": 200, "employer": 403,
}

ROWS: dict = {
    "careers:organisations": ("get", None, _MEMBERS_AND_STAFF),
    "careers:organisation_detail": ("get", "organisation", {**_MEMBERS_AND_STAFF, "employer": 404}),
    "careers:organisation_edit": ("get", "organisation", _STAFF_TOOL),
    "careers:organisation_aliases": ("get", "organisation", _STAFF_TOOL),
    "careers:organisation_merge": ("get", "organisation", _STAFF_TOOL),
    "careers:employer_apply": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403, "pending": 403, "staff_x": 403, "staff_y": 403,
        "admin_user": 403, "employer": 302,
    }),
    "careers:employer_status": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403, "pending": 403, "staff_x": 403, "staff_y": 403,
        "admin_user": 403, "employer": 200,
    }),
    "careers:employer_queue": ("get", None, _STAFF_TOOL),
    "careers:employer_decide": ("post", "employer_request", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403, "pending": 403, "staff_x": 302, "staff_y": 404,
        "admin_user": 302, "employer": 403,
    }),
}


def objects(p: dict) -> dict:
    from careers.models import EmployerContact
    from careers.organisations import organisation_resolve

    from ..factories import UserFactory

    bank = organisation_resolve(name="PT Bank Rakyat Indonesia (Persero) Tbk")
    asking = UserFactory(email="hrd@tokobuku.example", full_name="Hadi HRD")
    request = EmployerContact.objects.create(
        user=asking, organisation=organisation_resolve(name="CV Toko Buku Sejahtera"), study_program=p["prodi_x"],
        position="HRD",
    )
    return {"organisation": bank, "employer_request": request}
