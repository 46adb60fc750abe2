"""Permission-matrix rows of the community groups pages (collected by tests/community/test_permissions.py).

ROWS: {url name: (method, object key or None, {persona: status or LOGIN})}, every persona of PERSONAS.
objects(p): builds the objects the rows name, from p = {persona name: user, "prodi_x": …, "prodi_y": …}.

The community "slims" (prodi X, join by request): alumnus_a is its admin, the student a member, alumnus_b a verified
member outside it; staff_x and the institution admin oversee it; staff_y (prodi Y) sees the group but not its
threads. "waiting" is a community alumnus_a proposed, not yet approved.
"""

from __future__ import annotations

LOGIN = "login"


def _all(**statuses) -> dict:
    base = {"anonymous": LOGIN, "pending": 403, "employer": 403}
    return {**base, **statuses}


ROWS: dict = {
    "community:groups": ("get", None, _all(alumnus_a=200, alumnus_b=200, staff_x=200, staff_y=200, admin_user=200,
                                           student=200)),
    "community:group_new": ("get", None, _all(alumnus_a=200, alumnus_b=200, staff_x=200, staff_y=200,
                                              admin_user=200, student=200)),
    "community:group_queue": ("get", None, _all(alumnus_a=403, alumnus_b=403, staff_x=200, staff_y=200,
                                                admin_user=200, student=403)),
    "community:group_decide": ("get", "waiting_slug", _all(alumnus_a=403, alumnus_b=403, staff_x=200, staff_y=403,
                                                           admin_user=200, student=403)),
    "community:group_detail": ("get", "slims_slug", _all(alumnus_a=200, alumnus_b=200, staff_x=200, staff_y=200,
                                                         admin_user=200, student=200)),
    "community:group_join": ("post", "slims_slug", _all(alumnus_a=302, alumnus_b=302, staff_x=403, staff_y=403,
                                                        admin_user=403, student=302)),
    "community:group_leave": ("get", "slims_slug", _all(alumnus_a=200, alumnus_b=403, staff_x=403, staff_y=403,
                                                        admin_user=403, student=200)),
    "community:group_members": ("get", "slims_slug", _all(alumnus_a=200, alumnus_b=403, staff_x=200, staff_y=403,
                                                          admin_user=200, student=200)),
    "community:group_edit": ("get", "slims_slug", _all(alumnus_a=200, alumnus_b=403, staff_x=200, staff_y=403,
                                                       admin_user=200, student=403)),
    "community:group_program_link": ("get", "slims_slug", _all(alumnus_a=200, alumnus_b=403, staff_x=200,
                                                               staff_y=200, admin_user=200, student=403)),
}


def objects(p: dict) -> dict:
    from community.models import Group

    from .support_groups import community

    slims = community(p["prodi_x"], p["alumnus_a"], members=[p["student"]], slug="slims")
    community(p["prodi_x"], p["alumnus_a"], name="Klub Katalog", slug="waiting", status=Group.Status.WAITING)
    return {"slims": slims, "slims_slug": "slims", "waiting_slug": "waiting"}
