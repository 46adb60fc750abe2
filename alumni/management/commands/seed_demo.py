"""Demo data: one institution, one faculty, three study programs, ~300 alumni with careers, staff, an admin,
and programs with sessions and attendance (programs/demo.py).

Idempotent: every row is found by its natural key before it is created, so running it again changes nothing.
All demo accounts share the password in DEMO_PASSWORD (documented in the README).
"""

import datetime
import random

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from alumni.models import AlumniProfile, Employment, Faculty, Institution, Province, Role, StudyProgram, User
from alumni.services import role_grant
from core.registry import DEMO_SEEDERS

DEMO_PASSWORD = "alumni-demo-2026"  # noqa: S105 (documented demo password)
INSTITUTION = "Universitas Islam Nusantara (demo)"
FACULTY = "Fakultas Adab dan Humaniora"
PROGRAMS = [
    ("71201", "Ilmu Perpustakaan", "S1", "ip"),
    ("79202", "Bahasa dan Sastra Arab", "S1", "bsa"),
    ("79204", "Sejarah Peradaban Islam", "S1", "spi"),
]
ALUMNI_PER_PROGRAM = 100

FIRST = [
    "Siti", "Budi", "Rina", "Ahmad", "Dewi", "Agus", "Nur", "Rizki", "Fitri", "Hendra", "Lestari", "Fajar",
    "Indah", "Yusuf", "Ayu", "Dimas", "Putri", "Arief", "Wulan", "Bayu", "Nabila", "Galih", "Annisa", "Ilham",
    "Maya", "Reza", "Sri", "Taufik", "Laila", "Hasan", "Aisyah", "Fikri", "Zahra", "Rahmat", "Dian", "Yoga",
]
LAST = [
    "Rahmawati", "Santoso", "Wulandari", "Hidayat", "Saputra", "Pratama", "Kurniawan", "Lestari", "Nugroho",
    "Maharani", "Setiawan", "Ramadhan", "Fauzi", "Susanti", "Hakim", "Syahputra", "Anggraini", "Firmansyah",
    "Aulia", "Permana", "Hasibuan", "Siregar", "Lubis", "Nasution", "Tanjung", "Harahap", "Wijaya", "Utami",
]
EMPLOYERS = {
    Employment.EmployerKind.GOVERNMENT: [
        "Perpustakaan Nasional RI", "Dinas Perpustakaan dan Kearsipan", "Kementerian Agama",
        "Arsip Nasional Republik Indonesia", "Badan Pusat Statistik",
    ],
    Employment.EmployerKind.PRIVATE: [
        "PT Gramedia Asri Media", "PT Mizan Pustaka", "PT Tokopedia", "PT Erlangga", "PT Elex Media Komputindo",
    ],
    Employment.EmployerKind.STATE_OWNED: ["PT Telkom Indonesia", "PT Bank Syariah Indonesia", "PT Pos Indonesia"],
    Employment.EmployerKind.NGO: ["Yayasan Pustaka Bergerak", "Dompet Dhuafa", "Yayasan Literasi Anak Bangsa"],
    Employment.EmployerKind.EDUCATION: [
        "MAN 2 Yogyakarta", "SMA Negeri 1 Bandung", "Universitas Islam Nusantara", "Pondok Pesantren Darul Ulum",
    ],
    Employment.EmployerKind.SELF_EMPLOYED: ["Toko Buku Kita", "Jasa Penerjemahan Mandiri", "Kedai Kopi Literasi"],
}
POSITIONS = {
    "ip": ["Pustakawan", "Arsiparis", "Analis Data", "Staf Dokumentasi", "Pengelola Perpustakaan Sekolah"],
    "bsa": ["Penerjemah", "Guru Bahasa Arab", "Editor", "Staf Hubungan Internasional", "Dosen"],
    "spi": ["Peneliti Sejarah", "Guru Sejarah", "Kurator Museum", "Jurnalis", "Penulis"],
}
CITIES = {
    "DKI Jakarta": "Jakarta Selatan", "Jawa Barat": "Bandung", "Jawa Tengah": "Semarang",
    "DI Yogyakarta": "Sleman", "Jawa Timur": "Surabaya", "Banten": "Tangerang", "Aceh": "Banda Aceh",
    "Sumatera Utara": "Medan", "Sulawesi Selatan": "Makassar", "Kalimantan Timur": "Samarinda",
    "Bali": "Denpasar", "Riau": "Pekanbaru",
}

# Self-registered and waiting for verification (email, name, NIM they entered, one classmate vouched already).
PENDING_LOGIN = "nurul.aini@demo.ac.id"
PENDING_REQUESTS = [
    (PENDING_LOGIN, "Nurul Aini", "0871201150", False),
    ("yuliana.pertiwi@demo.ac.id", "Yuliana Pertiwi", "0871201151", True),
]

# People a newcomer can log in as (all with DEMO_PASSWORD).
NAMED = {
    "admin@demo.ac.id": ("Admin Portal", None),
    "staff.ip@demo.ac.id": ("Staf Ilmu Perpustakaan", "71201"),
    "staff.bsa@demo.ac.id": ("Staf Bahasa dan Sastra Arab", "79202"),
    "staff.spi@demo.ac.id": ("Staf Sejarah Peradaban Islam", "79204"),
}


def record_demo_directory_consent() -> int:
    """Every demo member with an account and no directory decision yet agreed to be listed: one Consent row each
    (the current wording) and the profile listed. Idempotent; bulk writes. Returns how many were recorded."""
    from django.utils import timezone

    from alumni.models import Consent
    from alumni.privacy import CONSENT_WORDING

    purpose = Consent.Purpose.DIRECTORY
    decided = Consent.objects.filter(purpose=purpose).values("user_id")
    profiles = list(
        AlumniProfile.objects.filter(user__isnull=False, verification=AlumniProfile.Verification.VERIFIED)
        .exclude(user_id__in=decided).only("pk", "user_id")
    )
    now = timezone.now()
    Consent.objects.bulk_create([
        Consent(user_id=p.user_id, purpose=purpose, granted=True, wording_version=CONSENT_WORDING[purpose][0], at=now)
        for p in profiles
    ])
    AlumniProfile.objects.filter(pk__in=[p.pk for p in profiles]).update(listed_in_directory=True)
    return len(profiles)


class Command(BaseCommand):
    help = "Create (once) the demo institution, study programs, staff, admin and ~300 alumni with careers."

    def handle(self, *args, **options):
        # One transaction. The emails the seeding causes (the role grants tell staff and admin) are sent
        # when it commits (core.dispatch.enqueue), and the embedded default prints them to this console: the
        # summary and the demo logins come after them, the last lines a newcomer reads before the server starts.
        with transaction.atomic():
            summary = self._seed()
        for line in summary:
            self.stdout.write(line)

    def _seed(self) -> list[str]:
        """Create what is missing; the lines that tell the newcomer what there is and how to log in."""
        rng = random.Random(2026)  # same data on every machine
        institution, _ = Institution.objects.get_or_create(name=INSTITUTION, defaults={"short_name": "UIN (demo)"})
        faculty, _ = Faculty.objects.get_or_create(institution=institution, name=FACULTY)
        programs = {}
        for code, name, level, slug in PROGRAMS:
            program, _ = StudyProgram.objects.get_or_create(
                code=code, defaults={"name": name, "level": level, "faculty": faculty}
            )
            programs[slug] = program
        password = make_password(DEMO_PASSWORD)
        provinces = {p.name: p for p in Province.objects.filter(name__in=CITIES)}

        created_profiles = 0
        for slug, program in programs.items():
            existing = set(AlumniProfile.objects.filter(study_program=program).values_list("nim", flat=True))
            for i in range(ALUMNI_PER_PROGRAM):
                entry_year = 2008 + (i % 14)
                nim = f"{str(entry_year)[2:]}{program.code}{i + 1:03d}"
                person = self._person(rng, slug, i)
                if nim in existing:
                    continue
                self._create_alumnus(rng, program, slug, nim, entry_year, person, provinces, password)
                created_profiles += 1

        # Listing is opt-in (UU PDP): the demo's members with an account said yes on the consent screen.
        record_demo_directory_consent()

        for email, (name, code) in NAMED.items():
            user = self._user(email, name, password)
            if code:
                role_grant(user=user, kind=Role.Kind.STAFF, study_program=StudyProgram.objects.get(code=code))
            else:
                role_grant(user=user, kind=Role.Kind.ADMIN, institution=institution)

        # The apps above this one (programs, tracer, giving) build on the people above: PICs, mentors,
        # participants, respondents, donors. They register their seeders in their AppConfig.ready().
        for seeder in DEMO_SEEDERS:
            self.stdout.write(seeder.seed(rng))

        # Last, so that the demo's programs and gifts (drawn from people with a record) leave them out.
        pending = self._pending_requests(programs["ip"], password)

        total = AlumniProfile.objects.count()
        return [
            self.style.SUCCESS(
                f"Demo data ready: {total} alumni records ({created_profiles} new), {len(programs)} study programs."
            ),
            f"Demo logins (password for all: {DEMO_PASSWORD}):",
            *(f"  {email}" for email in [*NAMED, "siti.rahmawati@demo.ac.id", "budi.santoso@demo.ac.id"]),
            "Sign up as rina.wulandari@demo.ac.id to see an imported record claimed on verification.",
            f"Waiting for verification: {pending} (log in as {PENDING_LOGIN}; staff.ip@demo.ac.id "
            "sees the queue, siti.rahmawati@demo.ac.id the vouch requests of her cohort).",
        ]

    def _pending_requests(self, program, password) -> int:
        """Two self-registered records of Ilmu Perpustakaan, cohort 2008 (Siti Rahmawati's), waiting for verification:
        one with a demo login and none of the vouches it needs, one that a classmate already vouched for, so that
        the staff queue, a classmate's vouch request and a pending person's own view all show. Idempotent."""
        from alumni.models import Vouch
        from alumni.services import profile_create
        from alumni.verification import profile_vouch

        for (email, name, nim, vouched) in PENDING_REQUESTS:
            user = self._user(email, name, password)
            if AlumniProfile.objects.filter(user=user).exists():
                continue
            request = profile_create(user=user, study_program=program, nim=nim, full_name=name, entry_year=2008,
                                     graduation_date=datetime.date(2012, 8, 25))
            if not vouched:
                continue
            classmate = (
                User.objects.filter(
                    alumni_profile__study_program=program, alumni_profile__entry_year=2008,
                    alumni_profile__verification=AlumniProfile.Verification.VERIFIED, is_active=True,
                )
                .exclude(email="siti.rahmawati@demo.ac.id")
                .order_by("pk")
                .first()
            )
            if classmate is not None:
                profile_vouch(profile=request, by=classmate, decision=Vouch.Decision.VOUCH)
        return AlumniProfile.objects.filter(verification=AlumniProfile.Verification.PENDING).count()

    @staticmethod
    def _person(rng, slug, i):
        if (slug, i) == ("ip", 0):
            return "Siti Rahmawati", "siti.rahmawati@demo.ac.id", True
        if (slug, i) == ("ip", 1):
            return "Budi Santoso", "budi.santoso@demo.ac.id", True
        if (slug, i) == ("ip", 2):
            return "Rina Wulandari", "rina.wulandari@demo.ac.id", False  # imported, not yet claimed
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first}.{last}.{slug}{i}@alumni.demo.ac.id".lower()
        return f"{first} {last}", email, rng.random() < 0.45

    def _user(self, email, name, password):
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": name, "password": password})
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def _create_alumnus(self, rng, program, slug, nim, entry_year, person, provinces, password):
        from django.utils import timezone

        name, email, has_account = person
        user = self._user(email, name, password) if has_account else None
        # Nothing in the demo lies in the future: a graduation, a job or its end after today is left out (the
        # random draws stay the same, so the rest of the demo does too).
        today = timezone.localdate()
        graduated = entry_year <= 2021
        graduation = datetime.date(entry_year + rng.choice([4, 4, 5]), rng.choice([3, 8, 10]), rng.choice([15, 25]))
        province_name = rng.choice(list(CITIES))
        profile = AlumniProfile.objects.create(
            user=user,
            study_program=program,
            nim=nim,
            full_name=name,
            email=email,
            entry_year=entry_year,
            graduation_date=graduation if graduated and graduation <= today else None,
            phone=f"+62 812 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
            province=provinces.get(province_name),
            city=CITIES[province_name],
            bio="",
            vis_email=rng.choice(["alumni", "staff", "staff", "private"]),
            vis_phone=rng.choice(["staff", "staff", "private"]),
            vis_location=rng.choice(["alumni", "alumni", "staff"]),
            vis_graduation="alumni",
            vis_career=rng.choice(["alumni", "alumni", "alumni", "staff", "private"]),
            vis_bio="alumni",
            vis_photo="alumni",
        )
        if profile.graduation_date is None:
            return
        start = profile.graduation_date + datetime.timedelta(days=rng.randint(0, 540))
        jobs = rng.choice([0, 1, 1, 2])
        career = []
        for n in range(jobs):
            kind = rng.choice(list(EMPLOYERS))
            end = None
            if n < jobs - 1:
                end = start + datetime.timedelta(days=rng.randint(300, 1200))
            career.append(Employment(
                profile=profile,
                employer=rng.choice(EMPLOYERS[kind]),
                employer_kind=kind,
                scope=rng.choice(["local", "national", "national", "multinational"]),
                position=rng.choice(POSITIONS[slug]),
                field_relevance=rng.choice([1, 2, 2, 3, 4, 5]),
                province=profile.province,
                city=profile.city,
                start_date=start,
                end_date=end,
            ))
            if end:
                start = end + datetime.timedelta(days=rng.randint(10, 120))
        for job in career:
            job.start_date = min(job.start_date, today)
            if job.end_date is not None and job.end_date > today:
                job.end_date = None  # still there today: the later job has not begun
                job.save()
                break
            job.save()
