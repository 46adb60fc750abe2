"""Mentorships as evidence of alumni involvement (LKPS), registered with tracer.evidence_sources.

Per TS year, one row: the number of distinct alumni mentors (a mentor with an alumni record, of any study program)
who had a mentorship of this study program's mentees (Mentorship.study_program: the mentee's study program when
it began, the round's for a round) running at some time in that year. A mentorship runs from `started_on` to the
day it ended (`ended_at`, local) or, while active, to today; a mentorship from a request and one from a round count
alike. The count is in the "mentor" column and in "alumni"; one query for the three years.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from alumni.models import StudyProgram
from programs.evidence import ROLES

from .models import Mentorship

EVIDENCE_KIND = "Mentoring"
EVIDENCE_TITLE = "Mentoring oleh alumni (mentorship)"
EVIDENCE_NOTE = (
    "Baris “Mentoring oleh alumni” menghitung alumni berbeda yang menjadi mentor dalam mentorship "
    "mahasiswa/anggota prodi ini yang berjalan pada tahun itu (dari permintaan maupun ronde mentoring); "
    "ringkasan per tahun tetap dari program dan sesi."
)


def _running_in(year: int, today: datetime.date) -> Q:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return Q(started_on__lte=min(last, today)) & (
        Q(status=Mentorship.Status.ACTIVE) | Q(ended_on__gte=first)
    )


def mentoring_evidence(*, study_program: StudyProgram, years: list[int]) -> list[dict]:
    """Rows of the evidence table, one per year with at least one mentor (one query)."""
    today = timezone.localdate()
    years = [y for y in years if datetime.date(y, 1, 1) <= today]
    if not years:
        return []
    counts = (
        Mentorship.objects.filter(study_program=study_program, mentor__alumni_profile__isnull=False)
        .annotate(ended_on=TruncDate("ended_at", tzinfo=timezone.get_current_timezone()))
        .aggregate(**{
            f"y{year}": Count("mentor", distinct=True, filter=_running_in(year, today)) for year in years
        }, **{
            f"n{year}": Count("pk", distinct=True, filter=_running_in(year, today)) for year in years
        })
    )
    rows = []
    for year in years:
        mentors = counts[f"y{year}"]
        if not mentors:
            continue
        rows.append({
            "year": year, "date": min(datetime.date(year, 12, 31), today), "program": EVIDENCE_TITLE,
            "program_id": None, "session": f"{counts[f'n{year}']} mentorship", "session_id": None,
            "kind": EVIDENCE_KIND, **{role.value: 0 for role in ROLES}, "mentor": mentors, "alumni": mentors,
            "note": EVIDENCE_NOTE,
        })
    return rows
