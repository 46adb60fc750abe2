"""Demo mentoring (seed_demo): the topics staff keep, eight verified students of Ilmu Perpustakaan (Annisa Fitri
logs in), twelve mentors from the demo alumni, the research-mentoring program's last round published with its
matches (mentorships running, meetings logged), the next round open for applications, a request waiting for its
mentor, and an ended mentorship with both sides' feedback.

Called by `manage.py seed_demo` after the people, programs and careers exist. Idempotent: when the demo topics
exist nothing is added. Everything goes through the mentoring services, with a `now` in the past where it happened
earlier, so every rule (capacity, deadlines, the matching) is the services'.
"""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from alumni.management.commands.seed_demo import record_demo_directory_consent
from alumni.models import AlumniProfile, Province, Role, StudyProgram, User
from careers.models import Field
from programs.models import Program

from . import services_mentorships, services_profiles, services_requests, services_rounds
from .models import Format, Language, MentorProfile, Mentorship, RoundApplication, Topic

DEMO_PASSWORD = "alumni-demo-2026"  # noqa: S105 (the documented demo password, as in alumni's seed_demo)
STUDENT_LOGIN = "annisa.fitri@demo.ac.id"
LIBRARY = "71201"

# (code, name): the list staff keep (Mentoring → Topics); mentors add free tags beside it.
TOPICS = [
    ("riset-skripsi", "Riset skripsi"),
    ("otomasi-slims", "Otomasi perpustakaan/SLiMS"),
    ("karier-perpustakaan", "Karier di perpustakaan"),
    ("beasiswa-s2", "Beasiswa S2"),
    ("literasi-informasi", "Literasi informasi"),
    ("kearsipan", "Kearsipan dan rekod"),
    ("penulisan-ilmiah", "Penulisan artikel ilmiah"),
    ("penerjemahan", "Penerjemahan Arab–Indonesia"),
]
# Verified students of Ilmu Perpustakaan (name, email, NIM, entry year, province).
STUDENTS = [
    ("Annisa Fitri", STUDENT_LOGIN, "2371201001", 2023, "Jawa Barat"),
    ("Rafi Maulana", "rafi.maulana@mhs.demo.ac.id", "2371201002", 2023, "DKI Jakarta"),
    ("Salsabila Putri", "salsabila.putri@mhs.demo.ac.id", "2271201003", 2022, "Jawa Barat"),
    ("Dimas Prasetyo", "dimas.prasetyo@mhs.demo.ac.id", "2271201004", 2022, "Jawa Tengah"),
    ("Nadia Kamila", "nadia.kamila@mhs.demo.ac.id", "2271201005", 2022, "DI Yogyakarta"),
    ("Farhan Akbar", "farhan.akbar@mhs.demo.ac.id", "2171201006", 2021, "Jawa Timur"),
    ("Kirana Ayu", "kirana.ayu@mhs.demo.ac.id", "2171201007", 2021, "Banten"),
    ("Yoga Pamungkas", "yoga.pamungkas@mhs.demo.ac.id", "2171201008", 2021, "Jawa Barat"),
]
# Topics (codes), tags, capacity, formats, field and a short text of the twelve mentors, in order: Siti Rahmawati,
# Budi Santoso, then ten demo alumni with accounts (Ilmu Perpustakaan first).
MENTOR_OFFERS = [
    (["riset-skripsi", "penulisan-ilmiah"], ["metode kualitatif"], 3, [Format.ONLINE, Format.IN_PERSON],
     Field.LIBRARY, "Saya membimbing riset skripsi sejak 2019: dari rumusan masalah sampai sidang."),
    (["otomasi-slims", "karier-perpustakaan"], ["slims", "inlislite"], 2, [Format.IN_PERSON, Format.CHAT],
     Field.LIBRARY, "Pengelola SLiMS di tiga perpustakaan sekolah; senang berbagi soal instalasi dan migrasi data."),
    (["karier-perpustakaan", "literasi-informasi"], [], 2, [Format.ONLINE], Field.LIBRARY,
     "Pustakawan ahli muda; bisa membantu persiapan CPNS dan jabatan fungsional pustakawan."),
    (["beasiswa-s2", "penulisan-ilmiah"], ["lpdp"], 2, [Format.ONLINE, Format.CHAT], Field.EDUCATION,
     "Penerima beasiswa LPDP; membantu menyusun esai dan rencana studi."),
    (["kearsipan", "karier-perpustakaan"], ["arsip digital"], 2, [Format.ONLINE], Field.LIBRARY,
     "Arsiparis di instansi pemerintah."),
    (["otomasi-slims", "riset-skripsi"], ["dspace"], 1, [Format.ONLINE, Format.IN_PERSON], Field.LIBRARY,
     "Repositori institusi dan otomasi perpustakaan perguruan tinggi."),
    (["riset-skripsi", "literasi-informasi"], ["bibliometrik"], 2, [Format.ONLINE], Field.SCIENCE,
     "Peneliti; analisis bibliometrik dan penulisan tinjauan pustaka."),
    (["literasi-informasi"], ["perpustakaan sekolah"], 2, [Format.IN_PERSON], Field.EDUCATION,
     "Guru pustakawan di SMA; program literasi sekolah."),
    (["beasiswa-s2"], ["beasiswa luar negeri"], 1, [Format.ONLINE], Field.EDUCATION,
     "Lulusan S2 luar negeri; membantu mencari beasiswa dan kampus."),
    (["penerjemahan", "penulisan-ilmiah"], [], 2, [Format.ONLINE, Format.CHAT], Field.ARTS_HUMANITIES,
     "Penerjemah buku Arab–Indonesia."),
    (["karier-perpustakaan"], ["startup"], 2, [Format.ONLINE], Field.ICT,
     "Bekerja di perusahaan teknologi; karier di luar perpustakaan untuk lulusan IP."),
    (["kearsipan", "riset-skripsi"], [], 1, [Format.IN_PERSON], Field.LIBRARY,
     "Arsip daerah; riset sejarah kearsipan."),
]


def _student(name: str, email: str, nim: str, entry_year: int, province, program, password: str) -> User:
    user, _ = User.objects.get_or_create(email=email, defaults={"full_name": name, "password": password})
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    AlumniProfile.objects.get_or_create(user=user, defaults={
        "study_program": program, "nim": nim, "full_name": name, "email": email, "entry_year": entry_year,
        "graduation_date": None, "province": province, "verification": AlumniProfile.Verification.VERIFIED,
        "vis_email": "private", "vis_phone": "private", "vis_location": "alumni", "vis_graduation": "alumni",
        "vis_career": "alumni", "vis_bio": "alumni", "vis_photo": "alumni",
    })
    return user


def _mentors(program) -> list[User]:
    """Siti and Budi, then the demo alumni with accounts of Ilmu Perpustakaan (then the other programs), oldest
    cohorts first: twelve verified people."""
    named = list(User.objects.filter(email__in=["siti.rahmawati@demo.ac.id", "budi.santoso@demo.ac.id"])
                 .order_by("-email"))
    others = list(
        User.objects.filter(alumni_profile__verification=AlumniProfile.Verification.VERIFIED,
                            alumni_profile__graduation_date__isnull=False,
                            email__endswith="@alumni.demo.ac.id")
        .select_related("alumni_profile").order_by("alumni_profile__entry_year", "email")[:60]
    )
    mine = [u for u in others if u.alumni_profile.study_program_id == program.pk]
    rest = [u for u in others if u.alumni_profile.study_program_id != program.pk]
    return (named + mine + rest)[:len(MENTOR_OFFERS)]


@transaction.atomic
def seed_mentoring(*, now: datetime.datetime | None = None) -> dict[str, int]:
    if Topic.objects.filter(code=TOPICS[0][0]).exists():
        return {}
    now = now or timezone.now()
    program = StudyProgram.objects.get(code=LIBRARY)
    staff = Role.objects.filter(kind=Role.Kind.STAFF, study_program=program).select_related("user").first().user
    topics = {code: Topic.objects.create(code=code, name=name) for code, name in TOPICS}
    provinces = {p.name: p for p in Province.objects.filter(name__in={s[4] for s in STUDENTS} | {"Jawa Barat"})}
    password = make_password(DEMO_PASSWORD)
    students = [_student(name, email, nim, year, provinces.get(province), program, password)
                for name, email, nim, year, province in STUDENTS]
    # Like the demo's alumni, the students agreed to be listed in the directory (so a second seeding adds nothing).
    record_demo_directory_consent()

    mentors = _mentors(program)
    for user, (codes, tags, capacity, formats, field, about) in zip(mentors, MENTOR_OFFERS, strict=False):
        services_profiles.mentor_profile_save(
            user=user, topics=[topics[c] for c in codes], tags=tags, capacity=capacity, formats=formats,
            languages=[Language.INDONESIAN] + ([Language.ENGLISH] if capacity == 1 else []),
            province=user.alumni_profile.province or provinces.get("Jawa Barat"), field=field, about=about,
        )

    # Last semester's round of the research mentoring: applications, offers, the matching, published.
    mentoring_program = Program.objects.filter(study_program=program, category=Program.Category.MENTORING).first()
    opened = now - datetime.timedelta(days=75)
    last = services_rounds.round_create(
        by=staff, program=mentoring_program, title="Mentoring Riset Skripsi 2026/2",
        description="Pendampingan riset skripsi oleh alumni untuk mahasiswa semester 7.",
        deadline=opened + datetime.timedelta(days=14),
        topic_ids=[topics[c].pk for c in ("riset-skripsi", "penulisan-ilmiah", "otomasi-slims", "kearsipan")],
        mentorship_months=4, now=opened,
    )
    round_mentors = mentors[:6]
    for user in round_mentors:
        services_rounds.round_offer(round_=last, mentor=user, capacity=min(2, user.mentor_profile.capacity),
                                    now=opened + datetime.timedelta(days=1))
    wants = ["riset-skripsi", "penulisan-ilmiah", "riset-skripsi", "otomasi-slims", "riset-skripsi", "kearsipan"]
    # The last one wants to meet in person about archives: the round's archives mentor works online only, so she
    # stays unmatched, with that reason on the staff's page.
    applied = opened + datetime.timedelta(days=3)
    for i, (user, code) in enumerate(zip(students[2:], wants, strict=False)):
        application = services_rounds.round_apply(
            round_=last, mentee=user, topic_ids=[topics[code].pk],
            help_with="Saya ingin dibimbing menyusun proposal skripsi dan metode penelitiannya.",
            format=Format.IN_PERSON if i == len(wants) - 1 else Format.ONLINE,
            now=applied,
        )
        # The application's time is stamped by the database (auto_now_add): back-date it to when it happened.
        RoundApplication.objects.filter(pk=application.pk).update(created_at=applied)
    closed = opened + datetime.timedelta(days=15)
    services_rounds.round_propose(round_=last, by=staff, now=closed)
    matched = services_rounds.round_publish(round_=last, by=staff, now=closed + datetime.timedelta(days=1))

    # Meetings of the round's mentorships: two each, a month apart.
    meetings = 0
    for mentorship in Mentorship.objects.filter(round=last).select_related("mentor", "mentee"):
        for weeks in (2, 6):
            services_mentorships.meeting_add(
                mentorship=mentorship, by=mentorship.mentee, today=now.date(),
                date=mentorship.started_on + datetime.timedelta(weeks=weeks), minutes=60, format=Format.ONLINE,
                notes="Membahas rumusan masalah dan daftar pustaka." if weeks == 2 else "Revisi bab metode.",
            )
            meetings += 1

    # The next round, open for applications until ten days from now (Annisa can apply).
    upcoming = services_rounds.round_create(
        by=staff, program=mentoring_program, title="Mentoring Riset Skripsi 2027/1",
        description="Daftar sebagai mentee (mahasiswa) atau mentor (alumni) sebelum tenggat.",
        deadline=now + datetime.timedelta(days=10), topic_ids=[topics["riset-skripsi"].pk], now=now,
    )
    for user in mentors[:4]:
        services_rounds.round_offer(round_=upcoming, mentor=user, capacity=1, now=now)
    services_rounds.round_apply(round_=upcoming, mentee=students[1], topic_ids=[topics["riset-skripsi"].pk],
                                help_with="Mencari topik skripsi tentang literasi digital.", format=Format.ONLINE,
                                now=now)

    # A request waiting for its mentor (Budi), and an ended mentorship with both sides' feedback.
    budi = MentorProfile.objects.get(user=mentors[1])
    services_requests.request_create(
        mentee=students[0], profile=budi, topics=[topics["otomasi-slims"]], format=Format.IN_PERSON,
        help_with="Saya magang di perpustakaan sekolah yang mau pindah ke SLiMS; ingin belajar migrasi data.",
        note="Saya tinggal di Bandung, bisa bertemu di kampus.", now=now - datetime.timedelta(days=2),
    )
    earlier = now - datetime.timedelta(days=120)
    third = MentorProfile.objects.get(user=mentors[2])
    request = services_requests.request_create(
        mentee=students[5], profile=third, topics=[topics["karier-perpustakaan"]], format=Format.ONLINE,
        help_with="Persiapan tes CPNS pustakawan.", now=earlier,
    )
    ended = services_requests.request_accept(request=request, by=mentors[2], goals="Siap ikut seleksi CPNS.",
                                             now=earlier + datetime.timedelta(days=1))
    services_mentorships.meeting_add(mentorship=ended, by=mentors[2], date=ended.started_on + datetime.timedelta(
        days=14), minutes=90, format=Format.ONLINE, notes="Latihan soal SKB.", today=now.date())
    ended = services_mentorships.mentorship_end(mentorship=ended, by=students[5], now=now - datetime.timedelta(days=20))
    services_mentorships.feedback_give(mentorship=ended, by=students[5], rating=5,
                                       text="Sangat membantu, materinya terarah.")
    services_mentorships.feedback_give(mentorship=ended, by=mentors[2], rating=4, text="Mentee rajin berlatih.")
    return {"topics": len(topics), "students": len(students), "mentors": len(mentors), "matched": matched,
            "meetings": meetings + 1}


def seed_demo(rng) -> str:
    """The demo seeder registered with core (core.registry.register_demo_seeder): run by `seed_demo`."""
    made = seed_mentoring()
    if not made:
        return "Mentoring: already seeded."
    return (f"Mentoring: {made['topics']} topics, {made['mentors']} mentors, {made['students']} students "
            f"({STUDENT_LOGIN} logs in), last round published with {made['matched']} mentorships and "
            f"{made['meetings']} meetings logged, the next round open, a request waiting for Budi Santoso.")
