"""Permission-matrix rows of the careers introductions pages (collected by tests/careers/test_permissions.py), and
the small builders the introductions tests share.

ROWS: {url name: (method, object key or None, {persona: status or LOGIN})}, every persona of PERSONAS.
objects(p): builds the objects the rows name, from p = {persona name: user, "prodi_x": …, "prodi_y": …}.

The world: Bagus (alumnus_b) works at Perpustakaan Nasional RI and shares his career with members; Ani
(alumnus_a) asked him for an introduction (open), and an earlier one he accepted has an outcome question for Ani.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from alumni.models import AlumniProfile, Visibility
from careers.models import INTRODUCTION_EXPIRY_DAYS, EmploymentOrganisation, Introduction, Outcome
from careers.organisations import organisation_resolve

from ..factories import EmploymentFactory

LOGIN = "login"
NOT_MEMBERS_403 = {"pending": 403, "staff_x": 403, "staff_y": 403, "admin_user": 403, "employer": 403}
ONLY_THE_TWO = {"pending": 404, "staff_x": 404, "staff_y": 404, "admin_user": 404, "employer": 404}

ROWS: dict = {
    "careers:introductions": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 200, "alumnus_b": 200, "pending": 200, "staff_x": 200, "staff_y": 200,
        "admin_user": 200, "employer": 200,
    }),
    # Bagus asking himself sees why not (200, no form); only verified members may ask.
    "careers:introduction_ask": ("get", "ask_b", {
        "anonymous": LOGIN, "alumnus_a": 200, "alumnus_b": 200, **NOT_MEMBERS_403,
    }),
    "careers:career_settings": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 200, "alumnus_b": 200, **NOT_MEMBERS_403,
    }),
    "careers:introduction_detail": ("get", "open_intro", {
        "anonymous": LOGIN, "alumnus_a": 200, "alumnus_b": 200, **ONLY_THE_TWO,
    }),
    # An empty POST answers nothing (back to the page with a message); the requester may not answer.
    "careers:introduction_answer": ("post", "open_intro", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 302, **ONLY_THE_TWO,
    }),
    "careers:introduction_withdraw": ("post", "open_intro", {
        "anonymous": LOGIN, "alumnus_a": 302, "alumnus_b": 403, **ONLY_THE_TWO,
    }),
    "careers:outcome": ("get", "outcome_a", {
        "anonymous": LOGIN, "alumnus_a": 200, "alumnus_b": 404, **ONLY_THE_TWO,
    }),
    "careers:report": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403, "pending": 403, "staff_x": 200, "staff_y": 200,
        "admin_user": 200, "employer": 403,
    }),
    # A cell of prodi X: its staff and the institution's admin only.
    "careers:report_cell": ("get", "cell_x", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403, "pending": 403, "staff_x": 200, "staff_y": 403,
        "admin_user": 200, "employer": 403,
    }),
}


def works_at(user, organisation, *, position="Pustakawan", share=True):
    """`user` works at `organisation` now (a linked current job) and shares their career with members."""
    job = EmploymentFactory(profile=user.alumni_profile, employer=organisation.name, position=position,
                            end_date=None, start_date=datetime.date(2020, 1, 1))
    EmploymentOrganisation.objects.update_or_create(employment=job, defaults={"organisation": organisation})
    if share:
        AlumniProfile.objects.filter(user=user).update(vis_career=Visibility.ALUMNI)
    return job


def introduction(requester, recipient, organisation, *, status=Introduction.Status.REQUESTED, created=None,
                 answered=None, note="Boleh minta waktu 15 menit?"):
    created = created or timezone.now()
    return Introduction.objects.create(
        requester=requester, recipient=recipient, organisation=organisation, note=note, status=status,
        created_at=created, expires_at=created + datetime.timedelta(days=INTRODUCTION_EXPIRY_DAYS),
        answered_at=answered,
    )


def objects(p: dict) -> dict:
    library = organisation_resolve(name="Perpustakaan Nasional RI")
    works_at(p["alumnus_b"], library)
    earlier = introduction(p["alumnus_a"], p["alumnus_b"], library, status=Introduction.Status.ACCEPTED,
                           created=timezone.now() - datetime.timedelta(days=40),
                           answered=timezone.now() - datetime.timedelta(days=35))
    outcome = Outcome.objects.create(user=p["alumnus_a"], introduction=earlier)
    year = timezone.localdate().year
    return {
        "ask_b": (library.pk, p["alumnus_b"].alumni_profile.pk, ""),
        "open_intro": introduction(p["alumnus_a"], p["alumnus_b"], library),
        "outcome_a": outcome,
        "cell_x": (f"?metric=asked&year={year}&program={p['prodi_x'].pk}",),
    }
