"""Evidence of alumni involvement (LKPS): the programs and sessions of one study program in the reporting years
TS-2, TS-1 and TS (calendar years, Asia/Jakarta) in which alumni took part, with counts per role.

What counts
    A participation counts when its status is *registered* (not waitlisted, not cancelled), its attendance is not
    recorded as absent (``attended`` is True or not yet taken), and its person has an alumni profile — of any study
    program: an alumnus of another prodi who speaks here is an alumnus involved in this prodi's program. The
    program belongs to the study program being reported; other study programs' programs never appear.

Session rows
    A participation in a session belongs to that session; cancelled sessions do not count. Its year and date are
    those of the session's start in local time (``ExtractYear``/``TruncDate`` in the current time zone).
    Sessions are counted by their date, whether or not that date has passed when the table is drawn.

Program-level rows
    A participation without a session (committee or mentor of the whole program) is listed on a row for the
    program itself, dated by the program's **first non-cancelled session**, because that is the first day the
    program verifiably took place. A program without such a session (a partnership, a publication) is dated by its
    approval (its earliest status change to approved or running), and only failing that by the record's creation.
    Program-level involvement counts only when the program was approved (approved, running, completed, lapsed) or
    held a session: the committee of a proposal that was never approved is not evidence. One participation is
    counted in one year only, never repeated in every year a long-running program is active: that would
    overstate the evidence. So the mentor of a program running since before TS-2 falls outside the table; to
    show involvement in a later year, record the role on that year's sessions (a session-level mentor or
    committee), which is also the evidence an accreditor can check.

Numbers
    Each row counts participations per role (one person has at most one participation per role per session or
    program, so these are people) and ``alumni``, the distinct alumni on the row. ``per_year`` and ``total`` sum
    the role counts (involvements: one alumnus speaking at three sessions is three) but count ``programs``,
    ``sessions`` and ``alumni`` as distinct over the year, respectively the three years.

Who is named
    The drill-down behind a count names (NIM, name) only alumni of the study programs the reader runs; alumni of
    another study program who took part are counted there, not named: their records belong to that program.

Every number comes from a database aggregate; `alumni_involvement` runs three queries and `involved_alumni` one,
whatever the number of rows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, TruncDate

from alumni.models import StudyProgram

from .models import Participation, Program, ProgramTransition, Session

EVIDENCE_NOTE = (
    "Dihitung: keikutsertaan berstatus terdaftar (bukan daftar tunggu/batal) yang tidak tercatat absen, oleh "
    "pengguna yang memiliki profil alumni — termasuk alumni prodi lain yang terlibat di program prodi ini. Sesi "
    "dihitung pada tahun tanggal mulainya (WIB); sesi yang dibatalkan tidak dihitung. Peran di tingkat program "
    "(panitia, mentor) dicatat sekali, pada tahun sesi pertama program yang tidak dibatalkan; bila program belum "
    "pernah bersesi, pada tahun program disetujui (tanpa catatan persetujuan: tahun program dicatat)."
)

ROLES = (
    Participation.Role.SPEAKER,
    Participation.Role.MENTOR,
    Participation.Role.COMMITTEE,
    Participation.Role.PARTICIPANT,
    Participation.Role.VOLUNTEER,
)

EVIDENCE_COLUMNS = [
    ("year", "Tahun"),
    ("date", "Tanggal"),
    ("program", "Program"),
    ("session", "Sesi"),
    ("kind", "Jenis"),
    ("speaker", "Pembicara"),
    ("mentor", "Mentor"),
    ("committee", "Panitia"),
    ("participant", "Peserta"),
    ("volunteer", "Relawan"),
    ("alumni", "Jumlah alumni"),
]


def _involvements(*, study_program: StudyProgram, years: list[int]) -> QuerySet[Participation]:
    """Every counted alumni participation in this study program's programs in these years, annotated with
    ``when`` (the datetime that dates it), ``year`` and ``date`` (both local)."""
    first_session = (
        Session.objects.active().filter(program=OuterRef("program_id")).order_by("start").values("start")[:1]
    )
    approved = (
        ProgramTransition.objects.filter(
            program=OuterRef("program_id"), to_status__in=[Program.Status.APPROVED, Program.Status.RUNNING]
        )
        .order_by("at")
        .values("at")[:1]
    )
    counted_session = Q(session__isnull=False) & ~Q(session__status=Session.Status.CANCELLED)
    counted_program = Q(session__isnull=True) & (
        Q(first_session__isnull=False) | Q(program__status__in=Program.LISTED_STATUSES)
    )
    return (
        Participation.objects.filter(
            program__study_program=study_program,
            status=Participation.Status.REGISTERED,
            user__alumni_profile__isnull=False,
        )
        .filter(Q(attended__isnull=True) | Q(attended=True))
        .annotate(first_session=Subquery(first_session, output_field=DateTimeField()))
        .filter(counted_session | counted_program)
        .annotate(
            when=Case(
                When(
                    session__isnull=True,
                    then=Coalesce(
                        F("first_session"),
                        Subquery(approved, output_field=DateTimeField()),
                        F("program__created_at"),
                    ),
                ),
                default=F("session__start"),
                output_field=DateTimeField(),
            ),
        )
        .annotate(year=ExtractYear("when"), date=TruncDate("when"))
        .filter(year__in=years)
    )


def _role_counts() -> dict[str, Count]:
    return {role.value: Count("pk", filter=Q(role=role)) for role in ROLES}


def _summary(values: dict[str, Any]) -> dict[str, int]:
    return {
        "programs": values["programs"],
        "sessions": values["sessions"],
        **{role.value: values[role.value] for role in ROLES},
        "alumni": values["alumni"],
    }


def alumni_involvement(*, study_program: StudyProgram, ts: int) -> dict:
    """The evidence table of alumni involvement for one study program and reporting year TS (three queries)."""
    years = [ts - 2, ts - 1, ts]
    qs = _involvements(study_program=study_program, years=years)
    distinct = {
        "programs": Count("program", distinct=True),
        "sessions": Count("session", distinct=True),
        "alumni": Count("user", distinct=True),
    }

    grouped = (
        qs.values("year", "date", "program_id", "program__title", "program__kind", "session_id", "session__title")
        .annotate(**_role_counts(), alumni=Count("user", distinct=True))
        .order_by()
    )
    rows = [
        {
            "year": g["year"],
            "date": g["date"],
            "program": g["program__title"],
            "program_id": g["program_id"],
            "session": (g["session__title"] or g["program__title"]) if g["session_id"] else "",
            "session_id": g["session_id"],
            "kind": str(Program.Kind(g["program__kind"]).label),
            **{role.value: g[role.value] for role in ROLES},
            "alumni": g["alumni"],
        }
        for g in grouped
    ]
    # Program-level rows (no session) come after the sessions of the same day and program.
    rows.sort(key=lambda r: (r["date"], r["program"], r["session"] == "", r["session"], str(r["session_id"] or "")))

    by_year = {g["year"]: g for g in qs.values("year").annotate(**_role_counts(), **distinct).order_by()}
    empty = {"programs": 0, "sessions": 0, "alumni": 0, **{role.value: 0 for role in ROLES}}
    per_year = [{"year": year, **_summary(by_year.get(year, empty))} for year in years]
    total = {"year": "Jumlah", **_summary(qs.order_by().aggregate(**_role_counts(), **distinct))}

    return {"years": years, "rows": rows, "per_year": per_year, "total": total, "note": EVIDENCE_NOTE}


def _narrowed(
    *,
    study_program: StudyProgram,
    ts: int,
    session_id=None,
    program_id=None,
    role: str | None = None,
    year: int | None = None,
    program_level: bool = False,
) -> QuerySet[Participation]:
    qs = _involvements(study_program=study_program, years=[ts - 2, ts - 1, ts])
    if session_id is not None:
        qs = qs.filter(session_id=session_id)
    if program_id is not None:
        qs = qs.filter(program_id=program_id)
    if program_level:
        qs = qs.filter(session__isnull=True)
    if role is not None:
        qs = qs.filter(role=role)
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def involved_alumni(*, named_programs=None, **narrow) -> list[dict]:
    """The alumni behind a row or a count of `alumni_involvement`, for staff to check (one query).

    Narrow by ``session_id`` (a session row), ``program_id`` with ``program_level=True`` and ``year`` (a
    program-level row), ``program_id`` alone (the whole program), ``year`` (a ``per_year`` cell) and ``role`` (a
    role column), beside ``study_program`` and ``ts``. One dict per alumnus and role: ``{"nim", "full_name",
    "study_program", "graduation_year", "role", "role_label", "involvements"}``, where involvements is how many
    counted participations are behind it.

    ``named_programs`` (ids of study programs) limits the list to alumni of those study programs: the staff of
    one study program see another's graduates who took part as a number only (`involved_elsewhere`), never by NIM
    and name. None lists everyone (the superuser, and code that needs the whole picture).
    """
    qs = _narrowed(**narrow)
    if named_programs is not None:
        qs = qs.filter(user__alumni_profile__study_program_id__in=list(named_programs))
    grouped = (
        qs.values(
            "user__alumni_profile__nim",
            "user__alumni_profile__full_name",
            "user__alumni_profile__study_program__name",
            "role",
        )
        .annotate(
            graduation_year=ExtractYear("user__alumni_profile__graduation_date"),
            involvements=Count("pk"),
        )
        .order_by("user__alumni_profile__full_name", "user__alumni_profile__nim", "role")
    )
    return [
        {
            "nim": g["user__alumni_profile__nim"],
            "full_name": g["user__alumni_profile__full_name"],
            "study_program": g["user__alumni_profile__study_program__name"],
            "graduation_year": g["graduation_year"],
            "role": g["role"],
            "role_label": str(Participation.Role(g["role"]).label),
            "involvements": g["involvements"],
        }
        for g in grouped
    ]


def involved_elsewhere(*, named_programs, **narrow) -> int:
    """How many distinct alumni behind the same row or count belong to study programs outside `named_programs`:
    what `involved_alumni` leaves out, as a number (one query)."""
    qs = _narrowed(**narrow).exclude(user__alumni_profile__study_program_id__in=list(named_programs))
    return qs.order_by().aggregate(n=Count("user", distinct=True))["n"]


__all__ = ["EVIDENCE_COLUMNS", "EVIDENCE_NOTE", "alumni_involvement", "involved_alumni", "involved_elsewhere"]
