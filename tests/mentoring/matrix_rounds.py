"""Permission-matrix rows of the mentoring rounds pages (collected by tests/mentoring/test_permissions.py).

ROWS: {url name: (method, object key or None, {persona: status or LOGIN})}, every persona of PERSONAS.
objects(p): builds the objects the rows name, from p = {persona name: user, "prodi_x": …, "prodi_y": …}.

The world: staff X opened an open round of prodi X (deadline a week ahead). Members and students of prodi X see
it; staff Y does not (404); the institution admin runs it. Pending members and employer contacts see no round
(403). The staff actions (POST) answer staff of X and the admin with a redirect to the round (with a message:
the deadline has not passed), members who see the round get 403."""

from __future__ import annotations

import datetime

from django.utils import timezone

from mentoring import services_rounds
from mentoring.models import MatchingRound, Topic

from ..factories import ProgramFactory

LOGIN = "login"
NOBODY_ELSE = {"anonymous": LOGIN, "pending": 403, "employer": 403}
MEMBERS_200 = {"alumnus_a": 200, "alumnus_b": 200, "student": 200}
MEMBERS_403 = {"alumnus_a": 403, "alumnus_b": 403, "student": 403}
STAFF_ACTION = {**NOBODY_ELSE, **MEMBERS_403, "staff_x": 302, "staff_y": 404, "admin_user": 302}

ROWS: dict = {
    "mentoring:rounds": ("get", None, {**NOBODY_ELSE, **MEMBERS_200, "staff_x": 200, "staff_y": 200,
                                       "admin_user": 200}),
    "mentoring:round_new": ("get", None, {**NOBODY_ELSE, **MEMBERS_403, "staff_x": 200, "staff_y": 200,
                                          "admin_user": 200}),
    "mentoring:round_detail": ("get", "round_x", {**NOBODY_ELSE, **MEMBERS_200, "staff_x": 200, "staff_y": 404,
                                                  "admin_user": 200}),
    # Staff and admins have no record of their own: they neither apply nor mentor.
    "mentoring:round_apply": ("get", "round_x", {**NOBODY_ELSE, **MEMBERS_200, "staff_x": 403, "staff_y": 404,
                                                 "admin_user": 403}),
    "mentoring:round_offer": ("get", "round_x", {**NOBODY_ELSE, **MEMBERS_200, "staff_x": 403, "staff_y": 404,
                                                 "admin_user": 403}),
    "mentoring:round_propose": ("post", "round_x", STAFF_ACTION),
    "mentoring:round_adjust": ("post", "round_x", STAFF_ACTION),
    "mentoring:round_publish": ("post", "round_x", STAFF_ACTION),
    "mentoring:round_cancel": ("post", "round_x", STAFF_ACTION),
}


def objects(p: dict) -> dict:
    round_ = MatchingRound.objects.filter(title="Mentoring Riset Skripsi 2027/1").first()
    if round_ is None:
        topic, _created = Topic.objects.get_or_create(code="riset-skripsi", defaults={"name": "Riset skripsi"})
        program = ProgramFactory(study_program=p["prodi_x"], title="Mentoring Riset Skripsi")
        round_ = services_rounds.round_create(
            by=p["staff_x"], program=program, title="Mentoring Riset Skripsi 2027/1", topic_ids=[topic.pk],
            deadline=timezone.now() + datetime.timedelta(days=7),
        )
    return {"round_x": round_}
