"""Demo programs drawn from field studies of study programs: a triennial reunion, weekly futsal, research
mentoring, library consulting, guest lectures, Friday wakaf, a proposal waiting for a decision, one program about
to lapse and one that has lapsed. Dates are relative to the day the demo is loaded, so the portal looks alive.

Called by `manage.py seed_demo`. Idempotent: a program is found by (study program, title) and never created twice.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from alumni.models import StudyProgram, User

from .models import Participation, Program, ProgramTransition, Session
from .page_cache import programs_changed
from .services import programs_lapse_overdue

P = Program
DAY = datetime.timedelta(days=1)
FRIDAY, SATURDAY = 4, 5


@dataclass
class Plan:
    prodi: str
    title: str
    description: str
    kind: str
    category: str
    organiser: str
    audience: str
    cadence: str
    status: str
    past: list[int]  # days ago of sessions held
    upcoming: list[int]  # days ahead of scheduled sessions
    pic: str | None = None
    proposer: str | None = None
    cadence_years: int | None = None
    grace_days: int = 14
    capacity: int | None = 40
    place: str = "Ruang Seminar Fakultas Adab dan Humaniora"
    online_url: str = ""
    hour: int = 9
    hours: int = 2
    since_days: int = 400  # when the current status began
    team: tuple[tuple[str, str], ...] = ()
    # The weekday the description names (0 Monday … 6 Sunday): the sessions fall on it, a week apart, as many past
    # and upcoming as `past` and `upcoming` list (their days are then not used).
    weekday: int | None = None


PLANS = [
    Plan("71201", "Reuni Akbar Alumni Ilmu Perpustakaan",
         "Reuni tiga tahunan seluruh angkatan: temu kangen dan talkshow karier.",
         P.Kind.NON_ACADEMIC, P.Category.REUNION, P.Organiser.ALUMNI_ASSOCIATION, P.Audience.ALUMNI,
         P.Cadence.EVERY_N_YEARS, P.Status.RUNNING, past=[1100], upcoming=[45], cadence_years=3, grace_days=60,
         capacity=300, place="Gedung Convention Hall Kampus", hour=8, hours=6, pic="budi.santoso@demo.ac.id",
         since_days=2300),
    Plan("71201", "Futsal Mingguan Alumni & Mahasiswa",
         "Futsal setiap Sabtu pagi; alumni dan mahasiswa satu tim. Kuota 14 pemain per sesi.",
         P.Kind.NON_ACADEMIC, P.Category.SPORT, P.Organiser.JOINT, P.Audience.BOTH,
         P.Cadence.WEEKLY, P.Status.RUNNING, past=[5, 12, 19, 26, 33, 40, 47, 54], upcoming=[2, 9], grace_days=7,
         capacity=14, place="Lapangan Futsal Kampus Timur", hour=7, pic="budi.santoso@demo.ac.id", weekday=SATURDAY),
    Plan("71201", "Mentoring Riset Skripsi",
         "Alumni peneliti mendampingi mahasiswa tingkat akhir menyusun proposal dan metodologi skripsi.",
         P.Kind.ACADEMIC, P.Category.MENTORING, P.Organiser.JOINT, P.Audience.STUDENTS,
         P.Cadence.MONTHLY, P.Status.RUNNING, past=[20, 50, 81, 111, 142, 172], upcoming=[10],
         capacity=25, place="Laboratorium Perpustakaan", online_url="https://meet.example.org/mentoring-ip",
         hour=13, pic="siti.rahmawati@demo.ac.id",
         team=(("siti.rahmawati@demo.ac.id", "mentor"), ("budi.santoso@demo.ac.id", "mentor"))),
    Plan("71201", "Klinik Konsultasi Perpustakaan Sekolah",
         "Alumni pustakawan membuka konsultasi pengelolaan perpustakaan sekolah dan madrasah, setiap bulan.",
         P.Kind.ACADEMIC, P.Category.CONSULTING, P.Organiser.ALUMNI_ASSOCIATION, P.Audience.PUBLIC,
         P.Cadence.MONTHLY, P.Status.RUNNING, past=[40, 71, 101], upcoming=[], grace_days=14,
         capacity=20, place="Perpustakaan Pusat, Lantai 2", hour=10, pic="siti.rahmawati@demo.ac.id"),
    Plan("71201", "Forum Menulis Alumni",
         "Forum bulanan menulis artikel populer dan jurnal bersama alumni yang aktif menulis.",
         P.Kind.ACADEMIC, P.Category.PUBLICATION, P.Organiser.ALUMNI_ASSOCIATION, P.Audience.ALUMNI,
         P.Cadence.MONTHLY, P.Status.RUNNING, past=[95, 126, 156], upcoming=[], grace_days=14,
         capacity=30, online_url="https://meet.example.org/forum-menulis", place="", hour=19,
         pic="budi.santoso@demo.ac.id"),
    Plan("71201", "Kuliah Tamu Alumni: Literasi Informasi di Era AI",
         "Kuliah tamu per triwulan oleh alumni praktisi untuk mahasiswa dan umum.",
         P.Kind.ACADEMIC, P.Category.GUEST_LECTURE, P.Organiser.STUDY_PROGRAM, P.Audience.PUBLIC,
         P.Cadence.QUARTERLY, P.Status.RUNNING, past=[70, 160, 250], upcoming=[20],
         capacity=120, place="Ruang Teatrikal Fakultas", hour=9, pic="staff.ip@demo.ac.id"),
    Plan("71201", "Pelatihan SLiMS untuk Pustakawan Sekolah",
         "Pelatihan satu kali penggunaan SLiMS bagi guru pustakawan mitra.",
         P.Kind.ACADEMIC, P.Category.TRAINING, P.Organiser.STUDY_PROGRAM, P.Audience.PUBLIC,
         P.Cadence.ONE_OFF, P.Status.COMPLETED, past=[200], upcoming=[], capacity=30,
         place="Laboratorium Komputer", hour=8, hours=7, pic="staff.ip@demo.ac.id"),
    Plan("71201", "Pelatihan Manajemen Arsip Digital",
         "Usulan alumni: pelatihan dua hari tentang digitalisasi dan preservasi arsip untuk mahasiswa.",
         P.Kind.ACADEMIC, P.Category.TRAINING, P.Organiser.ALUMNI_ASSOCIATION, P.Audience.STUDENTS,
         P.Cadence.YEARLY, P.Status.PROPOSED, past=[], upcoming=[], proposer="budi.santoso@demo.ac.id",
         since_days=9),
    Plan("79202", "Jumat Berkah: Wakaf Al-Qur'an dan Buku",
         "Setiap Jumat alumni menghimpun wakaf Al-Qur'an dan buku untuk pesantren mitra.",
         P.Kind.NON_ACADEMIC, P.Category.FUNDRAISING, P.Organiser.ALUMNI_ASSOCIATION, P.Audience.PUBLIC,
         P.Cadence.WEEKLY, P.Status.RUNNING, past=[3, 10, 17, 24], upcoming=[4], grace_days=7,
         capacity=None, place="Masjid Kampus", hour=13, hours=1, pic="staff.bsa@demo.ac.id", weekday=FRIDAY),
    Plan("79204", "Bedah Buku Sejarah Peradaban Islam",
         "Diskusi buku sejarah setiap bulan bersama alumni penulis dan peneliti.",
         P.Kind.ACADEMIC, P.Category.GUEST_LECTURE, P.Organiser.JOINT, P.Audience.BOTH,
         P.Cadence.MONTHLY, P.Status.RUNNING, past=[15, 45, 76], upcoming=[14],
         capacity=60, place="Aula Fakultas", hour=14, pic="staff.spi@demo.ac.id"),
]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def session_starts(plan: Plan, *, now: datetime.datetime) -> tuple[list[datetime.datetime], list[datetime.datetime]]:
    """(past starts, upcoming starts) of a plan's sessions. A plan with a weekday gets the last len(past) sessions
    that ended before `now` and the next len(upcoming) that start after it, all on that weekday, a week apart (one
    running at `now` is left out); the others are the days ago and ahead their plan lists."""
    today = timezone.localdate(now)
    length = plan.hours * datetime.timedelta(hours=1)
    if plan.weekday is None:
        return ([_at(today - days * DAY, plan.hour) for days in plan.past],
                [_at(today + days * DAY, plan.hour) for days in plan.upcoming])
    this_week = today + ((plan.weekday - today.weekday()) % 7) * DAY  # today or the next such day
    weeks = range(-len(plan.past) - 1, len(plan.upcoming) + 1)
    slots = [_at(this_week + week * 7 * DAY, plan.hour) for week in weeks]
    past = [start for start in slots if start + length <= now][-len(plan.past):] if plan.past else []
    upcoming = [start for start in slots if start > now][: len(plan.upcoming)]
    return sorted(past, reverse=True), upcoming


def seed_programs(*, rng: random.Random) -> dict[str, int]:
    """Create the demo programs once; returns counts of what was created."""
    now = timezone.now()
    today = timezone.localdate(now)
    users = {u.email: u for u in User.objects.filter(email__endswith="demo.ac.id")}
    prodis = {p.code: p for p in StudyProgram.objects.all()}
    existing = set(Program.objects.values_list("study_program__code", "title"))
    members = {
        code: list(User.objects.filter(alumni_profile__study_program__code=code).order_by("pk")[:60])
        for code in prodis
    }
    made = {"programs": 0, "sessions": 0, "participations": 0}
    for plan in PLANS:
        if (plan.prodi, plan.title) in existing or plan.prodi not in prodis:
            continue
        since = timezone.now() - plan.since_days * DAY
        program = Program.objects.create(
            study_program=prodis[plan.prodi], title=plan.title, description=plan.description, kind=plan.kind,
            category=plan.category, organiser=plan.organiser, audience=plan.audience, cadence=plan.cadence,
            cadence_years=plan.cadence_years, grace_days=plan.grace_days, status=plan.status,
            pic=users.get(plan.pic) if plan.pic else None,
            proposed_by=users.get(plan.proposer) if plan.proposer else None, status_changed_at=since,
        )
        made["programs"] += 1
        # `created_at` is set on insert; date it back so a proposal looks as old as its story.
        Program.objects.filter(pk=program.pk).update(created_at=since)
        path = [P.Status.PROPOSED] if plan.proposer else [P.Status.APPROVED]
        if plan.status in (P.Status.RUNNING, P.Status.COMPLETED):
            path.append(P.Status.RUNNING)
        if plan.status == P.Status.COMPLETED:
            path.append(P.Status.COMPLETED)
        staff = next((u for e, u in users.items() if e.startswith("staff.") and plan.prodi in _staff_code(e)), None)
        previous = ""
        for step, status in enumerate(path):
            ProgramTransition.objects.create(
                program=program, from_status=previous, to_status=status,
                by=users.get(plan.proposer) if status == P.Status.PROPOSED else staff,
                at=since - (len(path) - step) * DAY,
            )
            previous = status
        people = members.get(plan.prodi, [])
        past, upcoming = session_starts(plan, now=now)
        for start in past:
            session = Session.objects.create(
                program=program, start=start, end=start + plan.hours * datetime.timedelta(hours=1),
                place=plan.place, online_url=plan.online_url, capacity=plan.capacity,
                agenda="Pembukaan · Materi utama · Diskusi · Penutup",
            )
            made["sessions"] += 1
            seats = min(plan.capacity or 30, len(people))
            came_rate = rng.uniform(0.55, 0.95)
            chosen = rng.sample(people, k=rng.randint(seats // 2, seats)) if seats else []
            Participation.objects.bulk_create([
                Participation(program=program, session=session, user=u, role=Participation.Role.PARTICIPANT,
                              status=Participation.Status.REGISTERED, queued_at=start - 3 * DAY,
                              attended=rng.random() < came_rate)
                for u in chosen
            ])
            made["participations"] += len(chosen)
        for start in upcoming:
            session = Session.objects.create(
                program=program, start=start, end=start + plan.hours * datetime.timedelta(hours=1),
                place=plan.place, online_url=plan.online_url, capacity=plan.capacity,
                # The day before; a session tomorrow morning takes registrations until it starts.
                registration_deadline=start - DAY if start - DAY > now else None,
                agenda="Pembukaan · Materi utama · Diskusi · Penutup",
            )
            made["sessions"] += 1
            # The next futsal match is full, with two people waiting.
            wanted = (plan.capacity or 10) + 2 if plan.category == P.Category.SPORT else rng.randint(3, 9)
            for n, user in enumerate(people[:wanted]):
                full = plan.capacity is not None and n >= plan.capacity
                Participation.objects.create(
                    program=program, session=session, user=user, role=Participation.Role.PARTICIPANT,
                    status=Participation.Status.WAITLISTED if full else Participation.Status.REGISTERED,
                    queued_at=now - (wanted - n) * datetime.timedelta(hours=1),
                )
                made["participations"] += 1
        for email, role in plan.team:
            if email in users:
                Participation.objects.get_or_create(program=program, session=None, user=users[email], role=role)
    # The lapse rule, as the reminder tick would apply it: the writing forum has had no session for months.
    made["lapsed"] = len(programs_lapse_overdue(today=today))
    return made


def _staff_code(email: str) -> str:
    return {"staff.ip": "71201", "staff.bsa": "79202", "staff.spi": "79204"}.get(email.split("@")[0], "")


def seed_demo(rng) -> str:
    """The demo seeder registered with core (core.registry.register_demo_seeder): run by `seed_demo`."""
    made = seed_programs(rng=rng)
    # Bulk-made participations and update()d dates send no post_save: no page cached before shows them stale.
    programs_changed()
    return f"Programs: {made['programs']} new programs with {made['sessions']} sessions ({made['lapsed']} lapsed)."
