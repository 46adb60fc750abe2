"""Permission-matrix rows of the mentoring profiles pages (collected by tests/mentoring/test_permissions.py), and
the small world the mentoring tests of H1's parts share.

ROWS: {url name: (method, object key or None, {persona: status or LOGIN})}, every persona of PERSONAS.
objects(p): builds the objects the rows name, from p = {persona name: user, "prodi_x": …, "prodi_y": …}.

The world: Bagus (alumnus_b) mentors "Riset skripsi" (capacity 3) and mentors Ani (alumnus_a, an active
mentorship); Dewi (student) asked Bagus (an open request)."""

from __future__ import annotations

from mentoring.models import Format, MentorProfile, Mentorship, MentorshipRequest, Topic
from mentoring.services_requests import default_ends_on

LOGIN = "login"
MEMBERS = {"alumnus_a": 200, "alumnus_b": 200, "student": 200}
NOT_MEMBERS_403 = {"pending": 403, "staff_x": 403, "staff_y": 403, "admin_user": 403, "employer": 403}
STAFF_ONLY = {"anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403, "pending": 403, "student": 403,
              "employer": 403}

ROWS: dict = {
    # Staff without a record of their own see their links (overview, topics), not the member sections.
    "mentoring:home": ("get", None, {
        "anonymous": LOGIN, **MEMBERS, "pending": 403, "staff_x": 200, "staff_y": 200, "admin_user": 200,
        "employer": 403,
    }),
    "mentoring:mentor_edit": ("get", None, {"anonymous": LOGIN, **MEMBERS, **NOT_MEMBERS_403}),
    # Ani and Dewi have no profile: back home with a message.
    "mentoring:mentor_pause": ("post", None, {
        "anonymous": LOGIN, "alumnus_a": 302, "alumnus_b": 302, "student": 302, **NOT_MEMBERS_403,
    }),
    "mentoring:find": ("get", None, {"anonymous": LOGIN, **MEMBERS, **NOT_MEMBERS_403}),
    "mentoring:mentor_detail": ("get", "mentor_b", {"anonymous": LOGIN, **MEMBERS, **NOT_MEMBERS_403}),
    "mentoring:topics": ("get", None, {**STAFF_ONLY, "staff_x": 200, "staff_y": 200, "admin_user": 200}),
    "mentoring:topic_toggle": ("post", "topic", {**STAFF_ONLY, "staff_x": 302, "staff_y": 302, "admin_user": 302}),
}


def world(p: dict) -> dict:
    """Bagus's mentor profile, his mentorship of Ani, Dewi's open request to him (built once per test)."""
    topic, _created = Topic.objects.get_or_create(code="riset-skripsi", defaults={"name": "Riset skripsi"})
    profile, _created = MentorProfile.objects.get_or_create(
        user=p["alumnus_b"], defaults={"capacity": 3, "formats": [Format.ONLINE], "about": "Skripsi."})
    profile.topics.add(topic)
    mentorship = Mentorship.objects.filter(mentor=p["alumnus_b"], mentee=p["alumnus_a"]).first()
    if mentorship is None:
        import datetime

        mentorship = Mentorship.objects.create(
            mentor=p["alumnus_b"], mentee=p["alumnus_a"], study_program=p["prodi_x"], goals="Skripsi selesai",
            ends_on=default_ends_on(datetime.date.today()),
        )
    request = MentorshipRequest.objects.filter(mentee=p["student"], mentor=p["alumnus_b"]).first()
    if request is None:
        request = MentorshipRequest.objects.create(mentee=p["student"], mentor=p["alumnus_b"],
                                                   help_with="Bimbingan proposal skripsi")
    return {"mentor_b": profile, "topic": topic, "mentorship_ab": mentorship, "request_db": request}


def objects(p: dict) -> dict:
    return world(p)
