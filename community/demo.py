"""Demo communities (seed_demo): a cohort group for every study program and entry year with verified members (made
by the cohort sync, as in production), a region group for Jawa Barat, and "Komunitas SLiMS Kediri Raya" — proposed
by Budi Santoso, approved by Ilmu Perpustakaan's staff — with its members, a pinned announcement of its gathering
day, posts with comments and a picture, its programs (a gathering day and workshop it organises, and the library
consulting clinic), questions in "Tanya & konsultasi" (solved and open) from members who list their skills, and a
proposal of another community waiting for staff.

Called by `manage.py seed_demo` after the people, programs, careers and mentoring exist. Idempotent: when the
SLiMS community exists nothing is added. Everything goes through the community services, so every rule (who may
post, the moderation) is the services'.
"""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from alumni.models import AlumniProfile, Province, Role, StudyProgram, User
from programs import services as program_services
from programs.models import Program

from . import moderation, services_groups, services_help, services_posts
from .models import Group, HelpCategory, HelpRequest, Post

SLIMS = "Komunitas SLiMS Kediri Raya"
LIBRARY = "71201"
REGION = "Jawa Barat"

ANNOUNCEMENT = (
    "Kopdar & Workshop SLiMS bulan depan di Perpustakaan Pusat kampus: instalasi SLiMS 9 Bulian, migrasi data dari "
    "Excel, dan katalogisasi bersama. Daftar lewat halaman program kelompok ini (kuota 40). Bawa laptop!"
)
POSTS = [
    ("budi.santoso@demo.ac.id", "Selamat datang di Komunitas SLiMS Kediri Raya! Kenalkan diri dan perpustakaan "
     "tempat Anda bekerja. Panduan resmi SLiMS: https://slims.web.id/docs", 12,
     ["Salam kenal, saya pustakawan MTs di Pare, baru pakai SLiMS tahun ini.",
      "Halo semua, saya dari perpustakaan desa; belum pakai SLiMS, ingin belajar."]),
    ("siti.rahmawati@demo.ac.id", "Foto suasana klinik konsultasi bulan lalu: 14 pustakawan sekolah datang, "
     "sebagian besar bertanya soal barcode dan cetak kartu anggota.", 6,
     ["Terima kasih, sangat bermanfaat. Kapan klinik berikutnya?"]),
    (None, "Ada yang sudah mencoba modul sirkulasi mandiri (self-checkout) di SLiMS? Mohon berbagi pengalaman.", 2,
     []),
]


# Questions in "Tanya & konsultasi": (asker index in the members, category code, title, body, days ago,
# [(answerer index, answer)], index of the answer that solved it or None).
QUESTIONS = [
    (5, "instalasi-slims", "Instalasi SLiMS 9 di XAMPP gagal: \"mysqli extension not loaded\"",
     "Saya pasang SLiMS 9 Bulian di laptop Windows dengan XAMPP 8.2; halaman instalasi berhenti dengan pesan itu.",
     6, [(0, "Buka php.ini di folder xampp/php, hapus titik koma di depan extension=mysqli, lalu restart Apache."),
         (6, "Pastikan juga memakai PHP 8.1 atau lebih baru.")], 0),
    (7, "migrasi-data", "Cara memindahkan data buku dari Excel ke SLiMS?",
     "Perpustakaan madrasah kami punya 3.000 judul di Excel. Apakah bisa diimpor sekaligus?",
     3, [(1, "Bisa: simpan sebagai CSV sesuai template impor bibliografi SLiMS (Sistem → Impor Data).")], None),
    (8, "katalogisasi", "Nomor panggil untuk buku terjemahan Arab",
     "Apakah nomor panggil buku terjemahan memakai pengarang asli atau penerjemah?", 4, [], None),
]


def _picture() -> SimpleUploadedFile:
    """A small JPEG (a photo of the clinic, in the demo a plain colour) through the same upload path as a phone's."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), (38, 110, 160)).save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile("klinik-slims.jpg", buffer.getvalue(), content_type="image/jpeg")


def _gathering(program, staff, pic, now) -> Program:
    """The community's own program: a gathering day with a workshop, one session a month from now."""
    gathering = program_services.program_create(by=staff, study_program=program, pic=pic, data={
        "title": "Kopdar & Workshop Komunitas SLiMS",
        "description": "Temu anggota Komunitas SLiMS Kediri Raya dengan workshop otomasi perpustakaan.",
        "kind": Program.Kind.ACADEMIC, "category": Program.Category.TRAINING,
        "organiser": Program.Organiser.ALUMNI_ASSOCIATION, "audience": Program.Audience.PUBLIC,
        "cadence": Program.Cadence.QUARTERLY, "grace_days": 30,
    })
    start = (now + datetime.timedelta(days=30)).replace(hour=2, minute=0, second=0, microsecond=0)  # 09:00 WIB
    program_services.session_schedule(program=gathering, by=staff, data={
        "title": "Kopdar & Workshop SLiMS #4", "start": start, "end": start + datetime.timedelta(hours=6),
        "place": "Perpustakaan Pusat, Lantai 2", "capacity": 40,
        "agenda": "Instalasi SLiMS 9, migrasi data dari Excel, katalogisasi bersama.",
    })
    return gathering


@transaction.atomic
def seed_community(*, now: datetime.datetime | None = None) -> dict[str, int]:
    if Group.objects.filter(name=SLIMS).exists():
        return {}
    now = now or timezone.now()
    program = StudyProgram.objects.select_related("faculty__institution").get(code=LIBRARY)
    institution = program.faculty.institution
    staff = Role.objects.filter(kind=Role.Kind.STAFF, study_program=program).select_related("user").first().user
    admin = Role.objects.filter(kind=Role.Kind.ADMIN, institution=institution).select_related("user").first().user
    users = {u.email: u for u in User.objects.filter(email__in=["siti.rahmawati@demo.ac.id",
                                                                 "budi.santoso@demo.ac.id",
                                                                 "annisa.fitri@demo.ac.id"])}
    budi, siti = users["budi.santoso@demo.ac.id"], users["siti.rahmawati@demo.ac.id"]

    # Cohort groups: every verified member with an account is in the group of their study program and entry year.
    cohorts = services_groups.cohort_groups_sync()

    # The region group of Jawa Barat, for the institution, with the members who live there.
    west_java = Province.objects.get(name=REGION)
    region = services_groups.region_group_create(
        by=admin, province=west_java, institution=institution,
        description="Alumni dan mahasiswa yang tinggal atau bekerja di Jawa Barat: kabar, kopdar, info lowongan.",
    )
    locals_ = list(User.objects.filter(alumni_profile__province=west_java,
                                       alumni_profile__verification=AlumniProfile.Verification.VERIFIED)
                   .order_by("email")[:25])
    since = now - datetime.timedelta(days=90)  # long-standing members: the new members' limit does not apply
    for user in locals_:
        services_groups.member_add(group=region, user=user, joined_at=since)

    # The SLiMS community: proposed by Budi, approved by the study program's staff.
    slims = services_groups.interest_group_create(
        by=budi, name=SLIMS, study_program=program,
        description=("Pustakawan sekolah, madrasah, desa dan perguruan tinggi di Kediri dan sekitarnya yang memakai "
                     "SLiMS (Senayan Library Management System): saling bantu instalasi, migrasi data dan "
                     "katalogisasi, kopdar dan workshop."),
    )
    slims = services_groups.group_decide(group=slims, by=staff, approve=True)
    members = [siti, users["annisa.fitri@demo.ac.id"]] + list(
        User.objects.filter(alumni_profile__study_program=program,
                            alumni_profile__verification=AlumniProfile.Verification.VERIFIED,
                            email__endswith="@alumni.demo.ac.id").order_by("alumni_profile__entry_year", "email")[:16]
    )
    for user in members:
        services_groups.member_add(group=slims, user=user, joined_at=since)
    services_groups.member_make_admin(group=slims, by=budi, membership=slims.memberships.get(user=siti))

    # Its programs: its own gathering day and workshop, and the consulting clinic its members run.
    gathering = _gathering(program, staff, budi, now)
    services_groups.group_program_link(group=slims, program=gathering, by=staff)
    clinic = Program.objects.get(study_program=program, title="Klinik Konsultasi Perpustakaan Sekolah")
    services_groups.group_program_link(group=slims, program=clinic, by=staff)

    # The pinned announcement, posts and comments (dated as they happened), one with a picture.
    services_posts.post_create(group=slims, by=budi, body=ANNOUNCEMENT, announcement=True)
    posts = 0
    for author, body, days_ago, comments in POSTS:
        writer = users[author] if author else members[3]
        images = [(_picture(), "Pustakawan sekolah antre di meja klinik konsultasi SLiMS")] if author == \
            "siti.rahmawati@demo.ac.id" else None
        post = services_posts.post_create(group=slims, by=writer, body=body, images=images)
        Post.objects.filter(pk=post.pk).update(created_at=now - datetime.timedelta(days=days_ago))
        for i, text in enumerate(comments):
            services_posts.comment_create(post=post, by=members[4 + i], body=text)
        posts += 1
    # Skills people offer (Budi shows how many questions he helped solve), and the questions.
    categories = services_help.default_categories_ensure()
    services_help.skills_add(user=budi, categories=["instalasi-slims", "katalogisasi", "otomasi-perpustakaan"])
    services_help.skills_save(user=budi, category_ids=HelpCategory.objects.filter(
        code__in=["instalasi-slims", "katalogisasi", "otomasi-perpustakaan"]).values_list("pk", flat=True),
        show_helped_count=True)
    services_help.skills_add(user=siti, categories=["migrasi-data", "katalogisasi"])
    people = [budi, siti, *members[1:]]
    questions = {}
    for asker, code, title, body, days_ago, answers, solved in QUESTIONS:
        question = services_help.question_ask(user=people[asker], group=slims,
                                              category=categories[code], title=title, body=body)
        given = [services_help.question_answer(user=people[who], question=question, body=text)
                 for who, text in answers]
        if solved is not None:
            services_help.question_mark_solved(user=people[asker], question=question, answer=given[solved])
        HelpRequest.objects.filter(pk=question.pk).update(created_at=now - datetime.timedelta(days=days_ago))
        questions[title] = question

    # A post in the region group, reported once (it stays visible until a moderator looks or two more report it).
    offer = services_posts.post_create(group=region, by=locals_[0], body=(
        "Dijual cepat paket buku bekas perpustakaan, hubungi saya lewat grup ini."))
    moderation.report(offer, by=locals_[1], reason="Jualan, bukan kabar alumni.")

    # Another community waiting for the staff's decision.
    services_groups.interest_group_create(
        by=siti, name="Forum Penulis Alumni", study_program=program,
        description="Alumni yang menulis buku, artikel dan blog: saling membaca naskah dan berbagi info penerbitan.",
    )
    return {"cohorts": Group.objects.filter(kind=Group.Kind.COHORT).count(), "region": len(locals_),
            "members": len(members) + 1, "posts": posts + 2, "questions": len(questions),
            "made": cohorts.get("groups", 0)}


def seed_demo(rng) -> str:
    """The demo seeder registered with core (core.registry.register_demo_seeder): run by `seed_demo`."""
    made = seed_community()
    if not made:
        return "Community: already seeded."
    return (f"Community: {made['cohorts']} cohort groups, the Jawa Barat region group ({made['region']} members), "
            f"{SLIMS} ({made['members']} members, {made['posts']} posts, {made['questions']} questions, one solved; "
            f"its gathering day and the consulting clinic as its programs), one community waiting for staff.")
