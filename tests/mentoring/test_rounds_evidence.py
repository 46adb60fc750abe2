"""Mentorships in the LKPS evidence of alumni involvement: per TS year, the distinct alumni mentors of the study
program's running mentorships (from requests and rounds alike) in the "mentor" column."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring import evidence
from mentoring.models import Mentorship
from tracer.evidence_sources import evidence_with_sources

from ..conftest import client_for
from ..factories import UserFactory
from .rounds_support import member, open_round, topics

pytestmark = pytest.mark.django_db


def _ship(mentor, mentee, prodi, start, *, ended=None, round_=None):
    return Mentorship.objects.create(
        mentor=mentor, mentee=mentee, study_program=prodi, started_on=start,
        ends_on=start + datetime.timedelta(days=90),
        status=Mentorship.Status.ENDED if ended else Mentorship.Status.ACTIVE,
        ended_at=datetime.datetime.combine(ended, datetime.time(12), tzinfo=timezone.get_current_timezone())
        if ended else None, round=round_,
    )


def test_mentors_are_counted_per_year_of_running_mentorships(prodi_x, prodi_y, staff_x):
    ts = timezone.localdate().year
    ani, bagus, citra, dodi = (member(prodi_x, n) for n in ("Ani Mentor", "Bagus Mentor", "Citra Mentor",
                                                             "Dodi Mentor"))
    outsider_mentor = UserFactory(email="no-record@example.org")  # no alumni record: not counted
    mentees = [member(prodi_x, f"Mentee {i}", graduated=False) for i in range(6)]
    other = member(prodi_y, "Mentee Y", graduated=False)
    round_ = open_round(staff_x, prodi_x, [topics()["riset"]])
    # TS-2 only: Ani, ended in TS-2.
    _ship(ani, mentees[0], prodi_x, datetime.date(ts - 2, 3, 1), ended=datetime.date(ts - 2, 6, 1))
    # TS-2 to TS-1: Bagus, from a round, ended in TS-1; and a second mentee of Bagus the same year (one mentor).
    _ship(bagus, mentees[1], prodi_x, datetime.date(ts - 2, 11, 1), ended=datetime.date(ts - 1, 2, 1), round_=round_)
    _ship(bagus, mentees[2], prodi_x, datetime.date(ts - 1, 1, 10), ended=datetime.date(ts - 1, 4, 1))
    # TS-1 until now (active): Citra.
    _ship(citra, mentees[3], prodi_x, datetime.date(ts - 1, 12, 1))
    # TS: Dodi; the mentor without a record; a mentorship of prodi Y's mentee (not this study program's).
    _ship(dodi, mentees[4], prodi_x, datetime.date(ts, 1, 2))
    _ship(outsider_mentor, mentees[5], prodi_x, datetime.date(ts, 1, 2))
    _ship(ani, other, prodi_y, datetime.date(ts, 1, 2))

    rows = evidence.mentoring_evidence(study_program=prodi_x, years=[ts - 2, ts - 1, ts])
    assert [(r["year"], r["mentor"], r["alumni"], r["session"]) for r in rows] == [
        (ts - 2, 2, 2, "2 mentorship"), (ts - 1, 2, 2, "3 mentorship"), (ts, 2, 2, "2 mentorship"),
    ]
    assert all(r["kind"] == evidence.EVIDENCE_KIND and r["speaker"] == 0 and r["program_id"] is None for r in rows)

    table = evidence_with_sources(study_program=prodi_x, ts=ts)
    mine = [(r["year"], r["mentor"]) for r in table["rows"] if r["kind"] == evidence.EVIDENCE_KIND]
    assert mine == [(ts - 2, 2), (ts - 1, 2), (ts, 2)]
    assert evidence.EVIDENCE_NOTE in table["note"]
    other_table = evidence_with_sources(study_program=prodi_y, ts=ts)
    assert [(r["year"], r["mentor"]) for r in other_table["rows"] if r["kind"] == evidence.EVIDENCE_KIND] == [
        (ts, 1)]

    page = client_for(staff_x).get(reverse("tracer:lkps", args=[prodi_x.code, ts]) + "?tab=evidence")
    assert page.status_code == 200
    assert evidence.EVIDENCE_TITLE in page.content.decode()


def test_no_mentorship_no_row(prodi_x):
    ts = timezone.localdate().year
    assert evidence.mentoring_evidence(study_program=prodi_x, years=[ts - 2, ts - 1, ts]) == []
    assert evidence.mentoring_evidence(study_program=prodi_x, years=[ts + 1]) == []
