"""Evidence of alumni involvement (programs/evidence.py): one hand-built study program, TS = 2025, every number
written out by hand below rather than recomputed.

Prodi X has five programs and prodi Y one. The people: Ani and Bagus (alumni of X, the shared personas), Eka
(alumna of X), Citra (alumna of Y, who speaks at X) and Dodi (an account without an alumni profile).
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from programs.evidence import EVIDENCE_COLUMNS, EVIDENCE_NOTE, alumni_involvement, involved_alumni
from programs.models import Participation, Program, ProgramTransition, Session

from ..factories import AlumniProfileFactory, ProgramFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

TS = 2025
WIB = ZoneInfo("Asia/Jakarta")
R = Participation.Role
S = Participation.Status


@pytest.fixture(autouse=True)
def indonesian():
    """Row labels (the program kind) are in the active language: the portal's default."""
    with translation.override("id"):
        yield


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=WIB)


def take_part(user, program, session=None, role=R.PARTICIPANT, status=S.REGISTERED, attended=None):
    return Participation.objects.create(
        program=program, session=session, user=user, role=role, status=status, attended=attended
    )


@pytest.fixture
def world(prodi_x, prodi_y, alumnus_a, alumnus_b):
    ani, bagus = alumnus_a, alumnus_b
    eka = UserFactory(email="eka@example.org", full_name="Eka Putri")
    AlumniProfileFactory(user=eka, study_program=prodi_x, nim="16710003", graduation_date=datetime.date(2020, 3, 1))
    citra = UserFactory(email="citra@example.org", full_name="Citra Dewi")
    AlumniProfileFactory(user=citra, study_program=prodi_y, nim="14720001", graduation_date=datetime.date(2018, 9, 1))
    dodi = UserFactory(email="dodi@example.org", full_name="Dodi Umum")  # no alumni profile
    AlumniProfileFactory(user=None, study_program=prodi_x, nim="10710009")  # an unclaimed record: no account

    # P1, guest lectures since 2022.
    p1 = ProgramFactory(study_program=prodi_x, title="Kuliah Tamu", kind="academic", category="guest_lecture")
    s2022 = SessionFactory(program=p1, title="Kuliah Tamu 2022", start=at(2022, 6, 10))  # TS-3: outside
    take_part(ani, p1, s2022, R.SPEAKER)
    s2023 = SessionFactory(program=p1, title="Literasi Data", start=at(2023, 3, 15))
    take_part(ani, p1, s2023, R.SPEAKER, attended=True)
    take_part(bagus, p1, s2023)
    take_part(dodi, p1, s2023, attended=True)  # not an alumnus
    take_part(eka, p1, s2023, status=S.WAITLISTED)
    s2024 = SessionFactory(program=p1, title="Arsip Digital", start=at(2024, 5, 20))
    take_part(citra, p1, s2024, R.SPEAKER)  # alumna of prodi Y: counts
    take_part(ani, p1, s2024, attended=True)
    take_part(bagus, p1, s2024, attended=False)  # absent
    take_part(eka, p1, s2024, status=S.CANCELLED)
    cancelled = SessionFactory(
        program=p1, title="Batal", start=at(2024, 8, 1), status=Session.Status.CANCELLED
    )
    take_part(ani, p1, cancelled, R.SPEAKER)
    # 31 Dec 23:30 WIB is 16:30 UTC: still 2025. 1 Jan 00:30 WIB is 31 Dec 17:30 UTC, but TS+1 locally.
    s2025 = SessionFactory(program=p1, title="Penutup Tahun", start=at(2025, 12, 31, 23, 30))
    take_part(ani, p1, s2025, R.SPEAKER)
    take_part(bagus, p1, s2025, R.VOLUNTEER)
    take_part(bagus, p1, s2025)
    s2026 = SessionFactory(program=p1, title="Pembuka Tahun", start=at(2026, 1, 1, 0, 30))
    take_part(ani, p1, s2026, R.SPEAKER)
    # Program-level: dated by P1's first session (2022), so outside the window.
    take_part(bagus, p1, role=R.COMMITTEE)

    # P2, research mentoring: first held session 2024-02-10 (an earlier one was cancelled).
    p2 = ProgramFactory(study_program=prodi_x, title="Mentoring Riset", kind="academic", category="mentoring")
    SessionFactory(program=p2, title="", start=at(2023, 11, 1), status=Session.Status.CANCELLED)
    m2024 = SessionFactory(program=p2, title="", start=at(2024, 2, 10))
    take_part(bagus, p2, m2024)
    take_part(ani, p2, role=R.MENTOR)
    take_part(bagus, p2, role=R.COMMITTEE)
    take_part(dodi, p2, role=R.COMMITTEE)  # not an alumnus
    take_part(eka, p2, role=R.MENTOR, status=S.WAITLISTED)

    # P3, a partnership without sessions, approved on 1 April 2025: dated by its approval, not by its record.
    p3 = ProgramFactory(
        study_program=prodi_x, title="Kerja Sama Perpustakaan Daerah", kind="non_academic",
        category="partnership", status=Program.Status.APPROVED,
    )
    ProgramTransition.objects.create(program=p3, from_status="", to_status="approved", at=at(2025, 4, 1, 10))
    take_part(ani, p3, role=R.COMMITTEE)

    # P4, a proposal never approved: its committee is not evidence.
    p4 = ProgramFactory(
        study_program=prodi_x, title="Usulan Reuni", kind="non_academic", category="reunion",
        status=Program.Status.PROPOSED,
    )
    ProgramTransition.objects.create(program=p4, from_status="", to_status="proposed", at=at(2024, 1, 5))
    take_part(bagus, p4, role=R.COMMITTEE)

    # P5, a book drive without sessions or transitions: dated by its record's creation (2023-09-09 WIB).
    p5 = ProgramFactory(
        study_program=prodi_x, title="Donasi Buku", kind="non_academic", category="fundraising",
        status=Program.Status.COMPLETED,
    )
    Program.objects.filter(pk=p5.pk).update(created_at=at(2023, 9, 9, 10))
    take_part(eka, p5, role=R.VOLUNTEER)

    # Prodi Y's own program: an alumnus of X speaking there is Y's evidence, never X's.
    q1 = ProgramFactory(study_program=prodi_y, title="Program Prodi Lain", kind="academic")
    y2024 = SessionFactory(program=q1, title="Sesi Prodi Lain", start=at(2024, 6, 1))
    take_part(ani, q1, y2024, R.SPEAKER)
    take_part(citra, q1, role=R.MENTOR)

    return {
        "p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5, "q1": q1,
        "s2023": s2023, "s2024": s2024, "s2025": s2025, "m2024": m2024, "y2024": y2024,
    }


def row(year, date, program, session, kind, speaker=0, mentor=0, committee=0, participant=0, volunteer=0,
        alumni=0):
    return {
        "year": year, "date": date, "program": program, "session": session, "kind": kind, "speaker": speaker,
        "mentor": mentor, "committee": committee, "participant": participant, "volunteer": volunteer,
        "alumni": alumni,
    }


def without_ids(rows):
    return [{k: v for k, v in r.items() if k not in ("program_id", "session_id")} for r in rows]


def test_rows_are_the_sessions_and_program_level_involvement_of_the_three_years(prodi_x, world):
    table = alumni_involvement(study_program=prodi_x, ts=TS)

    assert table["years"] == [2023, 2024, 2025]
    d = datetime.date
    assert without_ids(table["rows"]) == [
        row(2023, d(2023, 3, 15), "Kuliah Tamu", "Literasi Data", "Akademik", speaker=1, participant=1, alumni=2),
        row(2023, d(2023, 9, 9), "Donasi Buku", "", "Nonakademik", volunteer=1, alumni=1),
        # A session without its own title shows the program's; the program-level row follows it.
        row(2024, d(2024, 2, 10), "Mentoring Riset", "Mentoring Riset", "Akademik", participant=1, alumni=1),
        row(2024, d(2024, 2, 10), "Mentoring Riset", "", "Akademik", mentor=1, committee=1, alumni=2),
        row(2024, d(2024, 5, 20), "Kuliah Tamu", "Arsip Digital", "Akademik", speaker=1, participant=1, alumni=2),
        row(2025, d(2025, 4, 1), "Kerja Sama Perpustakaan Daerah", "", "Nonakademik", committee=1, alumni=1),
        row(2025, d(2025, 12, 31), "Kuliah Tamu", "Penutup Tahun", "Akademik", speaker=1, participant=1,
            volunteer=1, alumni=2),
    ]
    w = world
    assert [(r["program_id"], r["session_id"]) for r in table["rows"]] == [
        (w["p1"].pk, w["s2023"].pk), (w["p5"].pk, None), (w["p2"].pk, w["m2024"].pk), (w["p2"].pk, None),
        (w["p1"].pk, w["s2024"].pk), (w["p3"].pk, None), (w["p1"].pk, w["s2025"].pk),
    ]


def test_per_year_counts_programs_sessions_and_alumni_as_distinct_and_sums_roles(prodi_x, world):
    table = alumni_involvement(study_program=prodi_x, ts=TS)

    assert table["per_year"] == [
        {"year": 2023, "programs": 2, "sessions": 1, "speaker": 1, "mentor": 0, "committee": 0, "participant": 1,
         "volunteer": 1, "alumni": 3},
        {"year": 2024, "programs": 2, "sessions": 2, "speaker": 1, "mentor": 1, "committee": 1, "participant": 2,
         "volunteer": 0, "alumni": 3},
        {"year": 2025, "programs": 2, "sessions": 1, "speaker": 1, "mentor": 0, "committee": 1, "participant": 1,
         "volunteer": 1, "alumni": 2},
    ]
    # Ani and Bagus are involved in all three years but counted once: 4 alumni, not 3 + 3 + 2.
    assert table["total"] == {
        "year": "Jumlah", "programs": 4, "sessions": 4, "speaker": 3, "mentor": 1, "committee": 2, "participant": 4,
        "volunteer": 2, "alumni": 4,
    }
    assert table["note"] == EVIDENCE_NOTE


def test_other_study_programs_programs_never_appear(prodi_x, prodi_y, world):
    table = alumni_involvement(study_program=prodi_x, ts=TS)
    program_ids = {r["program_id"] for r in table["rows"]}
    assert world["q1"].pk not in program_ids
    assert "Program Prodi Lain" not in {r["program"] for r in table["rows"]}

    # Prodi Y's table has its own program: Ani (alumnus of X) speaking, and Citra mentoring, dated 2024-06-01.
    other = alumni_involvement(study_program=prodi_y, ts=TS)
    assert without_ids(other["rows"]) == [
        row(2024, datetime.date(2024, 6, 1), "Program Prodi Lain", "Sesi Prodi Lain", "Akademik", speaker=1,
            alumni=1),
        row(2024, datetime.date(2024, 6, 1), "Program Prodi Lain", "", "Akademik", mentor=1, alumni=1),
    ]
    assert other["total"]["programs"] == 1
    assert other["total"]["alumni"] == 2


def test_outside_the_window_cancelled_and_never_approved_are_left_out(prodi_x, world):
    rows = alumni_involvement(study_program=prodi_x, ts=TS)["rows"]
    titles = {r["session"] for r in rows}
    assert not titles & {"Kuliah Tamu 2022", "Batal", "Pembuka Tahun"}
    assert world["p4"].pk not in {r["program_id"] for r in rows}
    # P1's committee is dated by P1's first session, in 2022.
    assert (world["p1"].pk, None) not in {(r["program_id"], r["session_id"]) for r in rows}

    # Moving TS on by one year brings in the session of 1 January 2026 (WIB) and drops 2023.
    later = alumni_involvement(study_program=prodi_x, ts=2026)
    assert later["years"] == [2024, 2025, 2026]
    assert [(r["year"], r["session"]) for r in later["rows"]][-1] == (2026, "Pembuka Tahun")
    assert [p["alumni"] for p in later["per_year"]] == [3, 2, 1]


def test_empty_study_program_gives_zero_rows_and_zero_counts(prodi_y):
    table = alumni_involvement(study_program=prodi_y, ts=TS)
    zero = {"programs": 0, "sessions": 0, "speaker": 0, "mentor": 0, "committee": 0, "participant": 0,
            "volunteer": 0, "alumni": 0}
    assert table["rows"] == []
    assert table["per_year"] == [{"year": y, **zero} for y in (2023, 2024, 2025)]
    assert table["total"] == {"year": "Jumlah", **zero}


def test_columns_name_every_row_key_in_indonesian(prodi_x, world):
    keys = [key for key, _label in EVIDENCE_COLUMNS]
    assert keys == ["year", "date", "program", "session", "kind", "speaker", "mentor", "committee",
                    "participant", "volunteer", "alumni"]
    assert dict(EVIDENCE_COLUMNS)["speaker"] == "Pembicara"
    first = alumni_involvement(study_program=prodi_x, ts=TS)["rows"][0]
    assert set(keys) | {"program_id", "session_id"} == set(first)
    assert "prodi lain" in EVIDENCE_NOTE


def test_involved_alumni_behind_a_session_row(prodi_x, world):
    assert involved_alumni(study_program=prodi_x, ts=TS, session_id=world["s2025"].pk) == [
        {"nim": "15710001", "full_name": "Ani Lestari", "study_program": "Ilmu Perpustakaan",
         "graduation_year": 2019, "role": "speaker", "role_label": "Pembicara", "involvements": 1},
        {"nim": "15710002", "full_name": "Bagus Pratama", "study_program": "Ilmu Perpustakaan",
         "graduation_year": 2019, "role": "participant", "role_label": "Peserta", "involvements": 1},
        {"nim": "15710002", "full_name": "Bagus Pratama", "study_program": "Ilmu Perpustakaan",
         "graduation_year": 2019, "role": "volunteer", "role_label": "Relawan", "involvements": 1},
    ]


def test_involved_alumni_behind_a_role_total_and_a_program_level_row(prodi_x, world):
    speakers = involved_alumni(study_program=prodi_x, ts=TS, role="speaker")
    assert [(a["full_name"], a["study_program"], a["graduation_year"], a["involvements"]) for a in speakers] == [
        ("Ani Lestari", "Ilmu Perpustakaan", 2019, 2),  # 2023 and 2025; not 2022, the cancelled one or 2026
        ("Citra Dewi", "Bahasa dan Sastra Arab", 2018, 1),
    ]
    program_level = involved_alumni(
        study_program=prodi_x, ts=TS, program_id=world["p2"].pk, program_level=True, year=2024
    )
    assert [(a["nim"], a["role"]) for a in program_level] == [("15710001", "mentor"), ("15710002", "committee")]
    in_2023 = involved_alumni(study_program=prodi_x, ts=TS, year=2023)
    assert [(a["full_name"], a["role"]) for a in in_2023] == [
        ("Ani Lestari", "speaker"), ("Bagus Pratama", "participant"), ("Eka Putri", "volunteer"),
    ]
    assert involved_alumni(study_program=prodi_x, ts=TS, session_id=world["y2024"].pk) == []


def add_sessions(prodi, n: int) -> None:
    """n programs, each with a session in TS with two alumni, and a program-level mentor."""
    people = [UserFactory(email=f"bulk{n}-{i}@example.org", verified=False) for i in range(2)]
    for i, person in enumerate(people):
        AlumniProfileFactory(user=person, study_program=prodi, nim=f"9{n:03d}{i:04d}")
    programs = Program.objects.bulk_create(
        ProgramFactory.build(study_program=prodi, title=f"Massal {i:03d}") for i in range(n)
    )
    sessions = Session.objects.bulk_create(
        Session(program=p, start=at(TS, 1 + i % 12, 1 + i % 28), end=at(TS, 1 + i % 12, 1 + i % 28, 11))
        for i, p in enumerate(programs)
    )
    Participation.objects.bulk_create(
        [Participation(program=s.program, session=s, user=u, role=R.SPEAKER) for s in sessions for u in people]
        + [Participation(program=p, user=people[0], role=R.MENTOR) for p in programs]
    )


@pytest.mark.parametrize("size", [5, 60])
def test_query_count_is_fixed_whatever_the_number_of_rows(size, prodi_x, world, django_assert_num_queries):
    add_sessions(prodi_x, size)
    with django_assert_num_queries(3):
        table = alumni_involvement(study_program=prodi_x, ts=TS)
    assert len(table["rows"]) == 7 + 2 * size
    assert table["per_year"][2]["sessions"] == 1 + size
    with django_assert_num_queries(1):
        drill = involved_alumni(study_program=prodi_x, ts=TS, role="speaker", year=TS)
    assert len(drill) == 3
