"""Demo tracer data: a finished wave of the national questionnaire for the 2021–2023 graduates of the demo study
programs (about 55% submitted, realistic answers with consistent branching), a running wave for the 2024–2025
graduates (some started, some submitted), and employer ratings of about 40 working graduates.

Called at the end of `manage.py seed_demo`. Idempotent: each wave is found by its title, the employer ratings by
their survey; nothing is created twice. Everything is written with bulk_create.
"""

from __future__ import annotations

import datetime
import random
import uuid

from django.utils import timezone

from alumni.models import AlumniProfile, Employment, Province, StudyProgram, User
from alumni.provinces import PROVINCES

from .models import Answer, Invitation, MinimumWage, Option, Question, Response, Survey, SurveyVersion, Wave
from .questionnaires import install

CLOSED_TITLE = "Tracer Study 2024 — lulusan 2021–2023"
RUNNING_TITLE = "Tracer Study 2026 — lulusan 2024–2025"
# The alumni the README names graduated long before 2024: staff invite them to the running wave by hand (as a
# wave allows before or after its launch), so that "My surveys" has a questionnaire to try when one logs in as
# them (Rina Wulandari once she has signed up). A pending request is nobody's graduate record: not invited.
README_ALUMNI = ("siti.rahmawati@demo.ac.id", "budi.santoso@demo.ac.id", "rina.wulandari@demo.ac.id")
DEMO_PROGRAMS = ("71201", "79202", "79204")
EMPLOYER_COUNT = 40

CITIES = ["Kota Yogyakarta", "Kab. Sleman", "Kab. Bantul", "Kota Semarang", "Kota Surakarta", "Jakarta Selatan",
          "Kota Bandung", "Kota Surabaya", "Kota Malang", "Kota Cirebon"]
EMPLOYERS = ["Perpustakaan Daerah DIY", "Perpustakaan Nasional RI", "MAN 1 Yogyakarta", "Kementerian Agama",
             "PT Gramedia Asri Media", "Bank Syariah Indonesia", "Balai Bahasa DIY", "Arsip Nasional RI",
             "Pondok Pesantren Al-Munawwir", "Universitas Islam Indonesia", "CV Media Ilmu", "Dompet Dhuafa"]
OWN_BUSINESSES = ["Toko Buku Ar-Rasyid", "Jasa Terjemah Arab–Indonesia", "Kursus Bahasa Arab Al-Bayan",
                  "Percetakan Berkah", "Biro Perjalanan Umrah Amanah"]
SUGGESTIONS = ["Perbanyak praktik kerja lapangan.", "Tambahkan pelatihan bahasa Inggris.",
               "Kemampuan teknologi informasi perlu ditingkatkan.", "Lulusan sudah sangat baik, pertahankan.",
               "Perkuat soft skill komunikasi dan presentasi."]
PROVINCE_WEIGHTS = {"040000": 40, "030000": 12, "010000": 10, "020000": 8, "050000": 8}
# Provincial minimum wages (UMP, rupiah per month) of the five provinces most demo graduates work in, so that IKU-1
# can be judged; graduates working elsewhere show as "cannot be judged", as they would until an admin adds theirs.
DEMO_MINIMUM_WAGES = {
    "010000": {2023: 4_901_798, 2024: 5_067_381, 2025: 5_396_761},  # DKI Jakarta
    "020000": {2023: 1_986_670, 2024: 2_057_495, 2025: 2_191_232},  # Jawa Barat
    "030000": {2023: 1_958_169, 2024: 2_036_947, 2025: 2_169_349},  # Jawa Tengah
    "040000": {2023: 1_981_782, 2024: 2_125_897, 2025: 2_264_080},  # DI Yogyakarta
    "050000": {2023: 2_040_244, 2024: 2_165_244, 2025: 2_305_985},  # Jawa Timur
}


def _pick(rng: random.Random, weighted: dict):
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def core_answers(rng: random.Random, *, graduated: datetime.date) -> dict:
    """One graduate's answers {code: value}: employment questions only when f8 is 1 or 3, further study only for 4."""
    a: dict = {}
    f8 = _pick(rng, {1: 55, 3: 12, 4: 10, 5: 15, 2: 8})
    a["f8"] = f8
    if f8 in (1, 3):
        wait = rng.choice([0, 0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 10, 12, 14, 18, 20, 24])
        a |= {"f504": 1 if wait <= 6 else 2, "f502": wait, "f505": rng.randrange(4, 20) * 500_000,
              "f5a1": int(_pick(rng, PROVINCE_WEIGHTS) if rng.random() < 0.85 else rng.choice(PROVINCES)[0]),
              "f5a2": rng.choice(CITIES)}
        if f8 == 3:
            a |= {"f1101": 4, "f5b": rng.choice(OWN_BUSINESSES), "f5c": _pick(rng, {1: 50, 2: 20, 3: 10, 4: 20}),
                  "f5d": _pick(rng, {1: 70, 2: 28, 3: 2})}
        else:
            kind = _pick(rng, {1: 25, 6: 10, 7: 2, 2: 10, 3: 45, 5: 8})
            a |= {"f1101": kind, "f5b": rng.choice(EMPLOYERS), "f5d": _pick(rng, {1: 35, 2: 55, 3: 10})}
            if kind == 5:
                a["f1102"] = rng.choice(["Koperasi", "Yayasan pendidikan", "Sekolah swasta"])
        a["f14"] = _pick(rng, {1: 25, 2: 33, 3: 24, 4: 12, 5: 6})
        a["f15"] = _pick(rng, {1: 8, 2: 72, 3: 15, 4: 5})
        for i in range(7):
            a[f"f{1762 + 2 * i}"] = _pick(rng, {2: 5, 3: 25, 4: 45, 5: 25})
        reasons = rng.sample(range(1, 14), rng.choice([1, 1, 2]))
        for n in range(1, 14):
            a[f"f16{n:02d}"] = int(n in reasons)
    elif f8 == 4:
        a |= {"f18a": _pick(rng, {1: 55, 2: 45}),
              "f18b": rng.choice(["Universitas Gadjah Mada", "UIN Sunan Kalijaga", "Universitas Indonesia",
                                  "Al-Azhar University"]),
              "f18c": rng.choice(["Magister Ilmu Perpustakaan", "Magister Bahasa dan Sastra Arab",
                                  "Magister Sejarah Kebudayaan Islam"]),
              # When the further study began: never after today (a recent graduate may have just started).
              "f18d": min(graduated + datetime.timedelta(days=rng.randint(120, 500)), timezone.localdate())}
    else:
        a["f1001"] = _pick(rng, {1: 20, 2: 35, 3: 15, 4: 25, 5: 5})
        if a["f1001"] == 5:
            a["f1002"] = "Sedang mengikuti pelatihan kerja"
    a["f1201"] = _pick(rng, {1: 60, 3: 20, 4: 6, 2: 4, 5: 3, 6: 4, 7: 3})
    if a["f1201"] == 7:
        a["f1202"] = "Beasiswa pemerintah daerah"
    for i in range(7):
        a[f"f{1761 + 2 * i}"] = _pick(rng, {1: 2, 2: 10, 3: 40, 4: 38, 5: 10})
    if rng.random() < 0.7:  # the optional page
        for n in range(21, 28):
            a[f"f{n}"] = _pick(rng, {1: 20, 2: 35, 3: 30, 4: 12, 5: 3})
        a["f301"] = _pick(rng, {1: 40, 2: 45, 3: 15})
        if a["f301"] == 1:
            a["f302"] = rng.randint(1, 8)
        elif a["f301"] == 2:
            a["f303"] = rng.randint(0, 12)
        ways = rng.sample(range(1, 16), rng.choice([1, 2, 2, 3]))
        for n in range(1, 16):
            a[f"f4{n:02d}"] = int(n in ways)
        if 15 in ways:
            a["f416"] = "Grup alumni di media sosial"
        applied = rng.randint(1, 25)
        responded = rng.randint(0, applied)
        a |= {"f6": applied, "f7": responded, "f7a": rng.randint(0, responded)}
    return a


def _answer_rows(response: Response, values: dict) -> list[Answer]:
    rows = []
    for code, value in values.items():
        if isinstance(value, datetime.date):
            rows.append(Answer(response=response, code=code, value_date=value))
        elif isinstance(value, str):
            rows.append(Answer(response=response, code=code, value_text=value))
        else:
            rows.append(Answer(response=response, code=code, value_int=value))
    return rows


def _wave(*, title, version, programs, years, opens, closes, by) -> Wave:
    wave = Wave.objects.create(version=version, title=title, graduation_years=years, opens_at=opens, closes_at=closes,
                               reminder_days=[7, 14], launched_at=opens, created_by=by)
    wave.study_programs.set(programs)
    return wave


def _fill(rng, wave, profiles, *, submitted: float, partial: float, now) -> tuple[int, list[Response]]:
    invitations = [Invitation(version=wave.version, wave=wave, profile=p, created_at=wave.opens_at, created_by=None)
                   for p in profiles]
    Invitation.objects.bulk_create(invitations)
    responses, answers = [], []
    # Exactly these shares (rounded), drawn at random: small programs still show a realistic rate.
    order = rng.sample(range(len(invitations)), len(invitations))
    n_submitted, n_partial = round(submitted * len(order)), round(partial * len(order))
    rank = {i: n for n, i in enumerate(order)}
    for i, invitation in enumerate(invitations):
        roll = 0.0 if rank[i] < n_submitted else (submitted if rank[i] < n_submitted + n_partial else 1.0)
        if roll >= submitted + partial:
            continue
        profile = invitation.profile
        values = core_answers(rng, graduated=profile.graduation_date)
        # Between the opening and a little before now (a wave that opened days ago has answers of those days).
        latest = max(wave.opens_at, now - datetime.timedelta(minutes=rng.randint(30, 48 * 60)))
        started = min(wave.opens_at + datetime.timedelta(days=rng.randint(0, 40), hours=rng.randint(7, 21)), latest)
        if roll < submitted:
            # Never later than now: a wave that opened minutes ago has answers from the last minutes only.
            finished = min(started + datetime.timedelta(minutes=rng.randint(6, 25)), now)
            response = Response(id=uuid.uuid4(), invitation=invitation, version=wave.version, profile=profile,
                                status=Response.Status.SUBMITTED, page=4, started_at=min(started, finished),
                                submitted_at=finished)
        else:
            response = Response(id=uuid.uuid4(), invitation=invitation, version=wave.version, profile=profile,
                                status=Response.Status.PARTIAL, page=rng.choice([1, 2]), started_at=started)
            values = {code: v for code, v in values.items() if code in ("f8", "f504", "f502", "f505", "f5a1")}
        responses.append(response)
        answers += _answer_rows(response, values)
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(answers, batch_size=2000)
    return len(invitations), responses


def seed_tracer(*, rng: random.Random | None = None) -> dict:
    rng = rng or random.Random(2026)
    now = timezone.now()
    made = {"waves": 0, "invitations": 0, "responses": 0, "employer": 0}
    # The migration installs the national surveys; a flushed test database may have lost them.
    install(Survey, SurveyVersion, Question, Option)
    core = Survey.objects.get(slug="dikti-core").latest_version()
    programs = list(StudyProgram.objects.filter(code__in=DEMO_PROGRAMS))
    if not programs:
        return made
    admin = User.objects.filter(email="admin@demo.ac.id").first()
    provinces = dict(Province.objects.filter(code__in=DEMO_MINIMUM_WAGES).values_list("code", "pk"))
    MinimumWage.objects.bulk_create(
        [MinimumWage(province_id=provinces[code], year=year, amount=amount)
         for code, years in DEMO_MINIMUM_WAGES.items() if code in provinces for year, amount in years.items()],
        ignore_conflicts=True,
    )
    base = AlumniProfile.objects.filter(study_program__in=programs).order_by("study_program__code", "nim")

    closed = Wave.objects.filter(title=CLOSED_TITLE).first()
    if closed is None:
        opens = datetime.datetime(2024, 8, 1, 8, tzinfo=datetime.UTC)
        closed = _wave(title=CLOSED_TITLE, version=core, programs=programs, years=[2021, 2022, 2023], opens=opens,
                       closes=opens + datetime.timedelta(days=120), by=admin)
        invited, responses = _fill(rng, closed, list(base.filter(graduation_date__year__in=[2021, 2022, 2023])),
                                   submitted=0.55, partial=0.08, now=now)
        made["waves"] += 1
        made["invitations"] += invited
        made["responses"] += len(responses)

    if not Wave.objects.filter(title=RUNNING_TITLE).exists():
        opens = now - datetime.timedelta(days=20)
        running = _wave(title=RUNNING_TITLE, version=core, programs=programs, years=[2024, 2025], opens=opens,
                        closes=now + datetime.timedelta(days=40), by=admin)
        invited, responses = _fill(rng, running, list(base.filter(graduation_date__year__in=[2024, 2025])),
                                   submitted=0.3, partial=0.15, now=now)
        made["waves"] += 1
        made["invitations"] += invited
        made["responses"] += len(responses)
    made["invitations"] += invite_readme_alumni(Wave.objects.get(title=RUNNING_TITLE), by=admin)

    employer = Survey.objects.get(slug="dikti-employer").latest_version()
    if not Response.objects.filter(version=employer, profile__study_program__in=programs).exists():
        # The graduates who named their job in the tracer, then others with a current job in their career.
        working = list(
            Response.objects.filter(invitation__wave__in=Wave.objects.filter(title__in=[CLOSED_TITLE, RUNNING_TITLE]),
                                    status=Response.Status.SUBMITTED, answers__code="f8",
                                    answers__value_int__in=[1, 3])
            .select_related("profile").order_by("profile__nim")[:EMPLOYER_COUNT]
        )
        names = dict(Answer.objects.filter(response__in=working, code="f5b").values_list("response_id", "value_text"))
        rated = [(r.profile, r, names.get(r.pk, "")) for r in working]
        taken = {r.profile_id for r in working}
        for job in (Employment.objects.filter(profile__in=base, end_date__isnull=True).exclude(profile_id__in=taken)
                    .select_related("profile").order_by("profile__nim")[: EMPLOYER_COUNT - len(rated)]):
            if job.profile_id not in taken:
                taken.add(job.profile_id)
                rated.append((job.profile, None, job.employer))
        invitations, responses, answers = [], [], []
        for profile, nominated_in, organisation in rated[:EMPLOYER_COUNT]:
            supervisor = rng.choice(["Dra. Sri Hartati", "Ahmad Fauzi, M.Hum.", "Dr. Nur Aini", "Bambang Wijaya",
                                     "Hj. Siti Maryam"])
            position = rng.choice(["Kepala Bidang", "Kepala Perpustakaan", "Manajer SDM", "Kepala Sekolah"])
            invitation = Invitation(version=employer, profile=profile, respondent="employer", name=supervisor,
                                    position=position, organisation=organisation, nominated_in=nominated_in,
                                    created_at=closed.closes_at)
            invitations.append(invitation)
            answered = closed.closes_at + datetime.timedelta(days=rng.randint(5, 60))
            response = Response(id=uuid.uuid4(), invitation=invitation, version=employer, profile=profile,
                                status=Response.Status.SUBMITTED, respondent_name=supervisor,
                                respondent_position=position, organisation=organisation,
                                response_date=answered.date(), started_at=answered, submitted_at=answered)
            responses.append(response)
            values = {code: _pick(rng, {4: 35, 3: 45, 2: 17, 1: 3}) for code in
                      ("etika", "keahlian", "bahasa_asing", "teknologi_informasi", "komunikasi", "kerjasama",
                       "pengembangan_diri")}
            if rng.random() < 0.5:
                values["saran"] = rng.choice(SUGGESTIONS)
            answers += _answer_rows(response, values)
        Invitation.objects.bulk_create(invitations)
        Response.objects.bulk_create(responses)
        Answer.objects.bulk_create(answers)
        made["employer"] = len(responses)
    return made


def invite_readme_alumni(wave: Wave, *, by) -> int:
    """The README's alumni invited to `wave` by hand, each once (an existing demo gets them too); no email goes out.
    Returns how many were invited now."""
    invited = Invitation.objects.filter(wave=wave, respondent=Invitation.Respondent.GRADUATE).values("profile_id")
    profiles = list(
        AlumniProfile.objects.filter(email__in=README_ALUMNI, verification=AlumniProfile.Verification.VERIFIED,
                                     study_program__in=wave.study_programs.all())
        .exclude(pk__in=invited).order_by("nim")
    )
    Invitation.objects.bulk_create([
        Invitation(version=wave.version, wave=wave, profile=profile, created_at=wave.opens_at, created_by=by)
        for profile in profiles
    ])
    return len(profiles)


def seed_demo(rng) -> str:
    """The demo seeder registered with core (core.registry.register_demo_seeder): run by `seed_demo`."""
    tracer = seed_tracer(rng=rng)
    return (f"Tracer: {tracer['waves']} new waves, {tracer['responses']} responses, "
            f"{tracer['employer']} employer ratings.")
