"""Demo careers network: the employers the demo alumni work at (with the aliases people type), an approved
employer contact, 25 job posts as they circulate in study programs' WhatsApp groups (some closing in a few days,
some closed, one hidden after three reports and one reported once, one waiting for another study program's staff,
one refused there), job alerts with the career consent of the people who set them, "I applied" marks, and two
introductions (one accepted).

Called by `manage.py seed_demo` after the other apps' seeders (their people and careers exist). Idempotent: when
a post with the first demo title exists, nothing is added. Posts go through careers.services_posts with a `today`
in the past where they were posted earlier, so every rule (targets, closing dates, reports) is the services'.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from alumni.models import AlumniProfile, Consent, Employment, Province, StudyProgram, User
from alumni.privacy import CONSENT_WORDING, consent_record

from . import services_introductions, services_posts
from .models import (
    Application,
    EmployerContact,
    Field,
    JobAlert,
    JobPost,
    JobPostTarget,
    JobReport,
)
from .organisations import alias_add, employments_link, organisation_resolve
from .selectors_organisations import alumni_at

DEMO_PASSWORD = "alumni-demo-2026"  # noqa: S105 (the documented demo password, as in alumni's seed_demo)
EMPLOYER_EMAIL = "rekrutmen@pustakadigital.co.id"

# {organisation: aliases people type}. The first names are those the demo alumni work at (alumni's seed_demo).
ORGANISATIONS = {
    "Perpustakaan Nasional Republik Indonesia": ["Perpustakaan Nasional RI", "Perpusnas", "Perpusnas RI"],
    "Kementerian Agama Republik Indonesia": ["Kementerian Agama", "Kemenag", "Kemenag RI"],
    "Arsip Nasional Republik Indonesia": ["ANRI"],
    "Badan Pusat Statistik": ["BPS"],
    "PT Gramedia Asri Media": ["Gramedia", "Toko Buku Gramedia"],
    "PT Mizan Pustaka": ["Mizan", "Penerbit Mizan"],
    "PT Telkom Indonesia (Persero) Tbk": ["PT Telkom Indonesia", "Telkom", "Telkom Indonesia"],
    "PT Bank Syariah Indonesia Tbk": ["Bank Syariah Indonesia", "BSI"],
    "PT Bank Rakyat Indonesia (Persero) Tbk": ["Bank BRI", "BRI"],
    "Dompet Dhuafa": [],
    "Yayasan Pustaka Bergerak": ["Pustaka Bergerak"],
    "Universitas Islam Nusantara": ["UIN (demo)"],
    "PT Pustaka Digital Nusantara": ["Pustaka Digital"],
}


@dataclass
class DemoPost:
    title: str
    organisation: str
    kind: str
    field: str
    poster: str  # email
    city: str = ""
    province: str = ""  # province code
    remote: bool = False
    salary: tuple[int, int] | None = None
    apply_how: str = JobPost.Apply.URL
    apply: str = ""
    days_ago: int = 3  # posted this many days before today
    closes_in: int = 30  # closing date, days after today (negative: closed)
    programs: tuple[str, ...] = ()  # codes; empty: the poster's default
    tags: str = ""
    description: str = ""
    requirements: str = ""


K, F = JobPost.Kind, Field
SITI, BUDI, STAFF_IP, STAFF_BSA, ADMIN = (
    "siti.rahmawati@demo.ac.id", "budi.santoso@demo.ac.id", "staff.ip@demo.ac.id", "staff.bsa@demo.ac.id",
    "admin@demo.ac.id",
)

POSTS = [
    DemoPost("Pustakawan Layanan Referensi", "Perpustakaan Nasional RI", K.CONTRACT, F.LIBRARY, SITI,
             city="Jakarta Pusat", province="010000", salary=(5_500_000, 7_000_000),
             apply="https://karier.perpusnas.go.id/lowongan/pustakawan-referensi", days_ago=2, closes_in=2,
             tags="referensi, layanan pemustaka", requirements="- S1 Ilmu Perpustakaan\n- IPK min. 3,00\n"
             "- Terbiasa dengan SLiMS atau INLISLite", description="Kontrak 12 bulan, dapat diperpanjang."),
    DemoPost("Arsiparis Ahli Pertama (PPPK)", "Kemenag", K.FULL_TIME, F.LIBRARY, STAFF_IP, city="Yogyakarta",
             province="040000", apply="https://sscasn.bkn.go.id", days_ago=6, closes_in=12,
             tags="PPPK, arsip dinamis", requirements="- S1 semua jurusan, diutamakan Ilmu Perpustakaan/Kearsipan"),
    DemoPost("Staf Digitalisasi Naskah Kuno", "Yayasan Pustaka Bergerak", K.CONTRACT, F.LIBRARY, SITI,
             city="Bandung", province="020000", salary=(4_000_000, 4_500_000), apply_how=JobPost.Apply.EMAIL,
             apply="rekrutmen@pustakabergerak.org", days_ago=1, closes_in=20, tags="digitalisasi, manuskrip"),
    DemoPost("Penerjemah Arab–Indonesia (lepas)", "PT Mizan Pustaka", K.FREELANCE, F.ARTS_HUMANITIES, STAFF_BSA,
             remote=True, apply_how=JobPost.Apply.EMAIL, apply="naskah@mizan.com", days_ago=4, closes_in=25,
             tags="terjemahan, bahasa Arab", requirements="- Lulusan Bahasa dan Sastra Arab\n- Contoh terjemahan"),
    DemoPost("Magang Kurasi Koleksi Digital", "PT Pustaka Digital Nusantara", K.INTERNSHIP, F.LIBRARY,
             EMPLOYER_EMAIL, city="Depok", province="020000", salary=(1_500_000, 2_000_000), days_ago=5,
             closes_in=18, apply="https://pustakadigital.co.id/karier/magang-kurasi", tags="magang, metadata"),
    DemoPost("Data Librarian", "PT Pustaka Digital Nusantara", K.FULL_TIME, F.ICT, EMPLOYER_EMAIL,
             city="Jakarta Selatan", province="010000", salary=(8_000_000, 11_000_000), days_ago=8, closes_in=40,
             apply="https://pustakadigital.co.id/karier/data-librarian", tags="metadata, Python, Dublin Core"),
    DemoPost("Staf Administrasi Zakat dan Wakaf", "Dompet Dhuafa", K.FULL_TIME, F.BUSINESS, BUDI,
             city="Tangerang Selatan", province="280000", salary=(4_800_000, 5_500_000), days_ago=9, closes_in=1,
             apply="https://karier.dompetdhuafa.org", tags="wakaf, administrasi"),
    DemoPost("Guru Bahasa Arab MTs", "Pondok Pesantren Darul Ulum", K.FULL_TIME, F.EDUCATION, STAFF_BSA,
             city="Jombang", province="050000", apply_how=JobPost.Apply.ASK, days_ago=10, closes_in=15,
             tags="guru, pesantren"),
    DemoPost("Pustakawan Sekolah", "SMA Negeri 1 Bandung", K.PART_TIME, F.LIBRARY, SITI, city="Bandung",
             province="020000", salary=(2_500_000, 3_000_000), apply_how=JobPost.Apply.EMAIL,
             apply="tu@sman1bandung.sch.id", days_ago=12, closes_in=3, tags="perpustakaan sekolah"),
    DemoPost("Relawan Pojok Baca Desa", "Yayasan Literasi Anak Bangsa", K.VOLUNTEER, F.EDUCATION, BUDI,
             city="Garut", province="020000", apply="https://literasianakbangsa.or.id/relawan", days_ago=2,
             closes_in=45, tags="literasi, relawan"),
    DemoPost("Customer Service Officer", "Bank Syariah Indonesia", K.CONTRACT, F.BUSINESS, ADMIN,
             city="Surabaya", province="050000", salary=(4_500_000, 5_200_000),
             apply="https://www.bankbsi.co.id/karir", days_ago=7, closes_in=9, programs=("71201", "79202", "79204"),
             tags="perbankan syariah"),
    DemoPost("Peneliti Sejarah Lokal (proyek 6 bulan)", "Badan Pusat Statistik", K.CONTRACT, F.SOCIAL, STAFF_IP,
             city="Semarang", province="030000", days_ago=3, closes_in=21, programs=("71201", "79204"),
             apply="https://bps.go.id/karier", tags="riset, arsip"),
    DemoPost("Content Writer Islami (remote)", "PT Mizan Pustaka", K.FREELANCE, F.SOCIAL, BUDI, remote=True,
             apply_how=JobPost.Apply.EMAIL, apply="redaksi@mizan.com", days_ago=1, closes_in=30,
             programs=("71201", "79204"), tags="menulis, SEO"),
    DemoPost("Staf Katalogisasi", "Perpustakaan Nasional RI", K.CONTRACT, F.LIBRARY, STAFF_IP, city="Jakarta Pusat",
             province="010000", salary=(5_000_000, 6_000_000), days_ago=40, closes_in=-5,
             apply="https://karier.perpusnas.go.id/lowongan/katalogisasi", tags="MARC21, RDA"),
    DemoPost("Asisten Kurator Museum", "Universitas Islam Nusantara", K.CONTRACT, F.ARTS_HUMANITIES, SITI,
             city="Yogyakarta", province="040000", days_ago=35, closes_in=-2, apply_how=JobPost.Apply.ASK,
             tags="museum, koleksi"),
    DemoPost("Sales Buku Sekolah", "Gramedia", K.FULL_TIME, F.BUSINESS, BUDI, city="Medan", province="070000",
             salary=(4_000_000, 6_000_000), days_ago=50, closes_in=-20, apply="https://karier.gramedia.com"),
    DemoPost("Admin Media Sosial Perpustakaan", "Dinas Perpustakaan dan Kearsipan", K.PART_TIME, F.SOCIAL, SITI,
             city="Sleman", province="040000", salary=(2_000_000, 2_500_000), days_ago=4, closes_in=14,
             apply_how=JobPost.Apply.EMAIL, apply="dpk@slemankab.go.id", tags="media sosial, desain"),
    DemoPost("Programmer SLiMS (freelance)", "PT Pustaka Digital Nusantara", K.FREELANCE, F.ICT, SITI, remote=True,
             salary=(6_000_000, 9_000_000), days_ago=6, closes_in=28, apply="https://pustakadigital.co.id/karier",
             tags="PHP, SLiMS"),
    DemoPost("Pengajar Bahasa Arab Daring", "Universitas Islam Nusantara", K.PART_TIME, F.EDUCATION, STAFF_BSA,
             remote=True, salary=(3_000_000, 4_000_000), days_ago=11, closes_in=33, apply_how=JobPost.Apply.EMAIL,
             apply="pusatbahasa@uin-demo.ac.id", tags="mengajar daring"),
    DemoPost("Account Officer", "Bank BRI", K.FULL_TIME, F.BUSINESS, BUDI, city="Makassar", province="190000",
             salary=(5_000_000, 7_500_000), days_ago=13, closes_in=16, apply="https://e-recruitment.bri.co.id",
             tags="perbankan"),
    DemoPost("Koordinator Program Literasi", "Yayasan Pustaka Bergerak", K.FULL_TIME, F.SOCIAL, STAFF_IP,
             city="Kupang", province="240000", salary=(6_000_000, 7_000_000), days_ago=5, closes_in=26,
             apply_how=JobPost.Apply.EMAIL, apply="rekrutmen@pustakabergerak.org", tags="literasi, NTT"),
    DemoPost("Dapatkan Rp 5 juta per hari dari rumah!!!", "Investasi Cepat Kaya", K.FREELANCE, F.OTHER, BUDI,
             remote=True, days_ago=3, closes_in=60, apply="https://bit.ly/cepat-kaya-123",
             description="Transfer biaya pendaftaran Rp 250.000 dulu, lalu langsung kerja."),
    DemoPost("Analis Data Perpustakaan", "Telkom", K.FULL_TIME, F.ICT, SITI, city="Bandung", province="020000",
             salary=(9_000_000, 13_000_000), days_ago=2, closes_in=35, apply="https://recruitment.telkom.co.id",
             tags="SQL, visualisasi data", programs=("71201", "79202")),
    DemoPost("Tenaga Pendamping Wakaf Produktif", "Dompet Dhuafa", K.CONTRACT, F.RELIGION, STAFF_BSA,
             city="Bogor", province="020000", days_ago=8, closes_in=19, apply="https://karier.dompetdhuafa.org",
             tags="wakaf, pemberdayaan", programs=("79202", "71201")),
    DemoPost("Operator Scan Arsip", "Arsip Nasional RI", K.CONTRACT, F.LIBRARY, BUDI, city="Jakarta Selatan",
             province="010000", salary=(3_800_000, 4_200_000), days_ago=1, closes_in=10,
             apply="https://anri.go.id/karier", tags="alih media, arsip statis"),
]
# The scam post: three members report it and it hides until staff look; the first post is reported once.
SCAM_TITLE = "Dapatkan Rp 5 juta per hari dari rumah!!!"
REPORTED_ONCE_TITLE = POSTS[0].title
# A member's post for another study program: Budi's content-writer post waits for staff of SPI; the BSI post of
# the admin is refused nowhere, but Telkom's for BSA is refused by staff BSA with a reason.
REFUSED = ("Analis Data Perpustakaan", "79202", "Lowongan ini untuk lulusan Ilmu Perpustakaan dan informatika.")


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _employer_contact(program: StudyProgram, staff: User) -> User:
    user, created = User.objects.get_or_create(
        email=EMPLOYER_EMAIL, defaults={"full_name": "Rina Kartika (HR Pustaka Digital)",
                                        "password": make_password(DEMO_PASSWORD)},
    )
    if created:
        EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    EmployerContact.objects.get_or_create(user=user, defaults={
        "organisation": organisation_resolve(name="PT Pustaka Digital Nusantara"), "study_program": program,
        "position": "HR Manager", "phone": "+6281298765432", "status": EmployerContact.Status.APPROVED,
        "decided_by": staff, "decided_at": timezone.now(),
    })
    return user


def _post(spec: DemoPost, today: datetime.date, provinces: dict[str, Province]) -> JobPost:
    poster = _user(spec.poster)
    posted_on = today - datetime.timedelta(days=spec.days_ago)
    closing = today + datetime.timedelta(days=spec.closes_in)
    # A post closed before today was valid when it was written: it is written as of its posting day.
    as_of = posted_on if spec.closes_in < 0 else today
    data = {
        "title": spec.title, "organisation_name": spec.organisation, "kind": spec.kind, "field": spec.field,
        "tags": spec.tags, "province": provinces.get(spec.province), "city": spec.city, "remote": spec.remote,
        "salary_min": spec.salary[0] if spec.salary else None, "salary_max": spec.salary[1] if spec.salary else None,
        "description": spec.description, "requirements": spec.requirements, "apply_how": spec.apply_how,
        "apply_url": spec.apply if spec.apply_how == JobPost.Apply.URL else "",
        "apply_email": spec.apply if spec.apply_how == JobPost.Apply.EMAIL else "", "closing_date": closing,
    }
    rights = services_posts.poster_rights(poster)
    programs = (
        list(StudyProgram.objects.filter(code__in=spec.programs).values_list("pk", flat=True))
        if spec.programs else list(rights.default_program_ids)
    )
    post = services_posts.post_create(by=poster, data=data, program_ids=programs, today=as_of)
    posted_at = timezone.now() - datetime.timedelta(days=spec.days_ago, hours=spec.days_ago % 7)
    JobPost.objects.filter(pk=post.pk).update(created_at=posted_at)
    JobPostTarget.objects.filter(post=post, decided_at__isnull=False).update(decided_at=posted_at)
    return post


def seed_careers(*, today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    if JobPost.objects.filter(title=POSTS[0].title).exists() or _user(SITI) is None:
        return {}
    ip = StudyProgram.objects.get(code="71201")
    staff_ip = _user(STAFF_IP)
    made = {"organisations": 0, "posts": 0}
    with transaction.atomic():
        for name, aliases in ORGANISATIONS.items():
            organisation = organisation_resolve(name=name)
            made["organisations"] += 1
            for alias in aliases:
                alias_add(organisation=organisation, name=alias)
        linked, _unlinked = employments_link(Employment.objects.only("pk", "employer"))
        made["linked jobs"] = linked
        _employer_contact(ip, staff_ip)
        provinces = {p.code: p for p in Province.objects.all()}
        posts = {spec.title: _post(spec, today, provinces) for spec in POSTS}
        made["posts"] = len(posts)
        # Posts whose closing date passed are closed, as the careers tick would have done.
        made["closed"] = JobPost.objects.filter(pk__in=[p.pk for p in posts.values()], closing_date__lt=today
                                                ).update(status=JobPost.Status.CLOSED, closed_at=timezone.now())
        title, code, reason = REFUSED
        target = JobPostTarget.objects.get(post=posts[title], study_program__code=code)
        services_posts.target_refuse(target=target, by=_user(STAFF_BSA), reason=reason)
        members = list(
            User.objects.filter(alumni_profile__study_program=ip,
                                alumni_profile__verification=AlumniProfile.Verification.VERIFIED)
            .exclude(email__in=[SITI, BUDI]).order_by("email")[:4]
        )
        scam = posts[SCAM_TITLE]
        for member in members[:3]:
            services_posts.post_report(post=scam, by=member, reason=JobReport.Reason.SCAM,
                                       note="Minta transfer biaya pendaftaran dulu.")
        services_posts.post_report(post=posts[REPORTED_ONCE_TITLE], by=members[3], reason=JobReport.Reason.WRONG,
                                   note="Tautan lamaran mengarah ke halaman lama.")
        made["alerts"] = _alerts(members)
        made["applications"] = _applications(posts, members)
        made["introductions"] = _introductions(posts)
    return made


def _alerts(members: list[User]) -> int:
    version = CONSENT_WORDING[Consent.Purpose.CAREER][0]
    people = [u for u in (_user(SITI), _user(BUDI), *members[:2]) if u is not None]
    wishes = [
        ([Field.LIBRARY, Field.ICT], ["010000", "020000"], []),
        ([Field.BUSINESS, Field.SOCIAL], [], [JobPost.Kind.FULL_TIME, JobPost.Kind.CONTRACT]),
        ([Field.LIBRARY], ["040000"], []),
        ([], [], [JobPost.Kind.INTERNSHIP, JobPost.Kind.PART_TIME]),
    ]
    for user, (fields, provinces, kinds) in zip(people, wishes, strict=False):
        JobAlert.objects.update_or_create(user=user, defaults={
            "fields": fields, "province_codes": provinces, "kinds": kinds, "frequency": JobAlert.Frequency.WEEKLY})
        consent_record(user=user, purpose=Consent.Purpose.CAREER, granted=True, wording_version=version)
    return len(people)


def _applications(posts: dict[str, JobPost], members: list[User]) -> int:
    budi = _user(BUDI)
    marks = [(budi, "Staf Digitalisasi Naskah Kuno"), (members[0], "Pustakawan Layanan Referensi"),
             (members[1], "Magang Kurasi Koleksi Digital")]
    for user, title in marks:
        services_posts.application_mark(post=posts[title], user=user)
    # An application of last month, so that "what came of it" has something to ask.
    old = Application.objects.get(user=budi, post=posts["Staf Digitalisasi Naskah Kuno"])
    Application.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=32))
    return len(marks)


def _introductions(posts: dict[str, JobPost]) -> int:
    """Budi asks Siti's colleagues at Perpusnas and Telkom for introductions (if the demo has such people): one
    accepted, one waiting."""
    budi = _user(BUDI)
    made = 0
    for title, accept in (("Pustakawan Layanan Referensi", True), ("Analis Data Perpustakaan", False)):
        post = posts[title]
        people = [p for p in alumni_at(organisation=post.organisation, viewer=budi) if p.open_to_introductions]
        if not people:
            continue
        person = people[0]
        introduction = services_introductions.introduction_ask(
            requester=budi, organisation=post.organisation, profile_id=person.profile_id, post=post,
            note="Assalamualaikum, saya Budi (IP angkatan 2012). Boleh saya bertanya tentang suasana kerja dan "
                 "proses seleksi di sini sebelum melamar?",
        )
        if accept:
            services_introductions.introduction_accept(introduction=introduction, by=User.objects.get(
                pk=person.user_id))
        made += 1
    return made


def seed_demo(rng) -> str:
    """The demo seeder registered with core (core.registry.register_demo_seeder): run by `seed_demo`."""
    made = seed_careers()
    if not made:
        return "Careers: already seeded."
    return (f"Careers: {made['organisations']} organisations ({made['linked jobs']} jobs on profiles linked), "
            f"{made['posts']} job posts ({made['closed']} closed, one hidden after three reports), "
            f"{made['alerts']} job alerts, {made['applications']} applications, "
            f"{made['introductions']} introductions.")
