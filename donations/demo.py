"""Demo giving: a Friday wakaf drive for a village well and electricity (months of weekly and monthly pledges,
most instalments paid and verified, some still due, a few transfers waiting for staff, one rejected), an in-kind
campaign for the study program's computer laboratory, and a closed emergency fundraising for a lecturer's
treatment, spent down to a small remainder.

Called at the end of `manage.py seed_demo`. Idempotent: each campaign is found by its title and, if it exists,
left alone. Everything goes through `donations.services` with a `today` in the past, so receipt numbers are
consecutive per institution and year (verifications run in date order across the three campaigns), instalments
come from the same schedule code as the tick, and balances are what the services compute. Dates are relative to
the day the demo is loaded, so the portal always looks current.
"""

from __future__ import annotations

import datetime
import random
import struct
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from alumni.models import Consent, StudyProgram, User
from alumni.privacy import CONSENT_WORDING, consent_record

from . import services
from .models import Campaign, CampaignItem, CampaignUpdate, Donation, Instalment, Pledge
from .money import rupiah
from .page_cache import giving_changed
from .services import Gift, PledgeTerms

WAKAF_TITLE = "Wakaf Jumat: sumur dan listrik untuk Desa Wonosari"
IN_KIND_TITLE = "Komputer dan meja untuk laboratorium prodi"
EMERGENCY_TITLE = "Penggalangan dana darurat: pengobatan Bapak Dr. H. Abdul Karim Hasibuan, M.A."
TITLES = (WAKAF_TITLE, IN_KIND_TITLE, EMERGENCY_TITLE)

DAY = datetime.timedelta(days=1)
FRIDAY = Pledge.Weekday.FRIDAY
PLEDGERS = 16  # weekly and monthly wakaf pledgers
MONTHLY = 3  # of whom pledge monthly
CONSENTING = 6  # pledgers who said yes to fundraising contact, so Friday reminders reach them
EMERGENCY_TARGET = Decimal(51_325_000)  # what came in: a little above the goal of Rp 50.000.000

PAYMENT_INSTRUCTIONS = (
    "Transfer ke rekening wakaf Bank Syariah Indonesia 7123 4567 89 a.n. Yayasan Wakaf Universitas Islam "
    "Nusantara, atau lewat e-wallet ke 0812 3456 7890 a.n. Yayasan Wakaf UIN. Unggah bukti transfer agar staf "
    "dapat memverifikasi dan mengirim kuitansi."
)


# --- Small generated proof files --------------------------------------------------------------------------------

def _png(rgb: tuple[int, int, int], width: int = 48, height: int = 32) -> bytes:
    """A valid PNG of one colour: a stand-in for a phone screenshot of the transfer."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF with a few lines of text: a stand-in for a bank's transfer receipt or an invoice."""
    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = "".join(f"({escape(line)}) Tj 0 -18 Td " for line in lines)
    content = f"BT /F1 12 Tf 36 250 Td {text}ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 300] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _proof(rng: random.Random, method: str, amount: Decimal, day: datetime.date) -> ContentFile:
    if method == Donation.Method.BANK_TRANSFER and rng.random() < 0.5:
        data, extension = _pdf(["Bukti Transfer", f"Tanggal {day:%d-%m-%Y}", f"Nominal Rp {int(amount):,}",
                                f"Ref {rng.randint(10**9, 10**10 - 1)}"]), "pdf"
    else:
        data, extension = _png((rng.randint(0, 80), rng.randint(90, 200), rng.randint(90, 200))), "png"
    return ContentFile(data, name=f"{uuid.UUID(int=rng.getrandbits(128)).hex}.{extension}")


# --- Plumbing ---------------------------------------------------------------------------------------------------

@contextmanager
def _no_emails() -> Iterator[datetime.datetime]:
    """Gifts of past months must not email hundreds of receipts (with their PDFs) to demo addresses when the demo is
    loaded. The services claim a receipt in the outbox and send its task by name after commit
    (core.dispatch.enqueue): while the demo loads, the receipt and rejection tasks are not sent, and the receipt
    rows claimed meanwhile are marked sent (the demo dates each receipt as emailed when its gift was verified), so
    no sweep sends them later either. The receipts themselves stay downloadable. Yields when loading began."""
    from core.models import Notification

    from .receipts import RECEIPT_KIND

    quiet = {"donations.tasks.send_receipt", "donations.tasks.send_rejection"}
    send = services.enqueue

    def enqueue(task_name: str, *args, **kwargs) -> None:
        if task_name not in quiet:
            send(task_name, *args, **kwargs)

    began = timezone.now()
    services.enqueue = enqueue
    try:
        yield began
    finally:
        services.enqueue = send
    Notification.objects.unsent().filter(kind=RECEIPT_KIND, created_at__gte=began).update(sent_at=timezone.now())


def _at(day: datetime.date, rng: random.Random, hours: tuple[int, int] = (7, 21)) -> datetime.datetime:
    moment = datetime.datetime.combine(day, datetime.time(rng.randint(*hours), rng.randint(0, 59)))
    return timezone.make_aware(moment)


@dataclass
class Run:
    """What one seeding collects: verifications to make in date order (one receipt sequence for all three
    campaigns), when each donation was recorded, and the counts to report."""

    rng: random.Random
    today: datetime.date
    to_verify: list[tuple[datetime.date, int, Donation, User]] = field(default_factory=list)
    recorded: dict = field(default_factory=dict)  # donation pk → (created_at, decided day or None)
    made: dict = field(default_factory=lambda: dict.fromkeys(
        ("campaigns", "pledges", "instalments", "donations", "verified", "pending", "rejected", "disbursements",
         "updates", "consents"), 0))

    def give(self, *, campaign: Campaign, donor: User | None, gift: Gift, verify_on: datetime.date | None,
             by: User, instalment: Instalment | None = None) -> Donation:
        """Submit a gift (staff record it when there is no donor account) and plan its verification; a
        verification that would fall after today leaves it pending, as it is in the staff queue now."""
        donation = services.donation_submit(campaign=campaign, donor=donor, gift=gift, instalment=instalment,
                                            recorded_by=None if donor else by)
        self.made["donations"] += 1
        decided = verify_on if verify_on is not None and verify_on <= self.today else None
        if decided:
            self.to_verify.append((decided, len(self.to_verify), donation, by))
        else:
            self.made["pending"] += 1
        self.recorded[donation.pk] = (_at(gift.paid_on, self.rng), decided)
        return donation

    def reject(self, donation: Donation, *, by: User, on: datetime.date, reason: str) -> None:
        services.donation_reject(donation_id=donation.pk, user=by, reason=reason)
        self.made["pending"] -= 1
        self.made["rejected"] += 1
        self.recorded[donation.pk] = (self.recorded[donation.pk][0], on)

    def update(self, campaign: Campaign, *, by: User, on: datetime.date, title: str, body: str) -> None:
        CampaignUpdate.objects.create(campaign=campaign, title=title, body=body, posted_by=by,
                                      posted_at=_at(on, self.rng, (9, 16)))
        self.made["updates"] += 1

    def verify_all(self) -> None:
        """Verify in date order, then date the rows back to when they happened (the services stamp `now`); nothing
        is dated later than now (a gift of today recorded this evening would be)."""
        decided_at: dict = {}
        last = None
        for day, _order, donation, by in sorted(self.to_verify, key=lambda row: row[:2]):
            services.donation_verify(donation_id=donation.pk, user=by, today=day)
            self.made["verified"] += 1
            # Staff work through the day's queue in order, never before the gift was recorded.
            moment = max(self.recorded[donation.pk][0] + datetime.timedelta(minutes=20),
                         timezone.make_aware(datetime.datetime.combine(day, datetime.time(8))))
            last = moment if last is None or moment > last else last + datetime.timedelta(minutes=3)
            decided_at[donation.pk] = last
        self.to_verify.clear()
        rows = list(Donation.objects.filter(pk__in=self.recorded))
        now = timezone.now()
        for row in rows:
            created, decided = self.recorded[row.pk]
            row.created_at = min(created, now)
            if decided:
                row.decided_at = min(decided_at.get(row.pk) or max(created, _at(decided, self.rng, (8, 16))), now)
            if row.status == Donation.Status.VERIFIED:
                # The receipt went out when it was verified (the real tick would have sent it then).
                row.receipt_sent_at = min(row.decided_at + datetime.timedelta(minutes=2), now)
        Donation.objects.bulk_update(rows, ["created_at", "decided_at", "receipt_sent_at"], batch_size=500)
        self.recorded.clear()

    def disburse(self, campaign: Campaign, *, by: User, on: datetime.date, amount: int, purpose: str,
                 recipient: str) -> None:
        proof = ContentFile(_pdf(["Kuitansi / Invoice", recipient, purpose[:60], rupiah(amount),
                                  f"{on:%d-%m-%Y}"]), name=f"{uuid.UUID(int=self.rng.getrandbits(128)).hex}.pdf")
        services.disbursement_record(campaign=campaign, user=by, amount=Decimal(amount), paid_on=on,
                                     purpose=purpose, recipient=recipient, proof=proof)
        self.made["disbursements"] += 1


def _campaign(run: Run, *, program: StudyProgram, by: User, **fields) -> Campaign:
    campaign = Campaign.objects.create(institution=program.faculty.institution, study_program=program,
                                       status=Campaign.Status.OPEN, created_by=by, **fields)
    Campaign.objects.filter(pk=campaign.pk).update(created_at=_at(fields["starts_on"] - 3 * DAY, run.rng))
    run.made["campaigns"] += 1
    return campaign


def _method(rng: random.Random) -> str:
    return Donation.Method.BANK_TRANSFER if rng.random() < 0.6 else Donation.Method.EWALLET


def _gift(rng: random.Random, amount: int, day: datetime.date, *, anonymous: bool = False, message: str = "",
          method: str | None = None) -> Gift:
    method = method or _method(rng)
    value = Decimal(amount)
    # The demo's givers chose to publish their messages (on the donor wall and the ledger).
    return Gift(amount=value, method=method, paid_on=day, anonymous=anonymous, message=message, message_public=True,
                proof=_proof(rng, method, value, day) if method != Donation.Method.CASH else None)


# --- The wakaf drive --------------------------------------------------------------------------------------------

WAKAF_MESSAGES = ["Semoga menjadi amal jariyah.", "Untuk almarhum ayah saya.", "Bismillah, semoga berkah.",
                  "Semoga airnya cepat mengalir.", ""]


def _wakaf(run: Run, *, program: StudyProgram, staff: User, alumni: list[User], featured: list[User]) -> Callable:
    rng, today = run.rng, run.today
    start = today - 150 * DAY
    campaign = _campaign(
        run, program=program, by=staff, title=WAKAF_TITLE, kind=Campaign.Kind.ENDOWMENT,
        summary="Sepuluh ribu rupiah setiap Jumat untuk sumur bor dan listrik tenaga surya di Desa Wonosari.",
        description=(
            "Desa Wonosari, desa binaan KKN prodi, kekurangan air bersih setiap kemarau dan sebagian dusunnya "
            "belum teraliri listrik. Alumni Ilmu Perpustakaan mengajak berwakaf Rp 10.000 setiap Jumat: sumur bor "
            "dalam 80 meter dengan pompa, tandon, dan panel surya untuk mushala serta taman baca desa.\n\n"
            "Setiap rupiah yang masuk dan keluar tercatat di buku kas publik kampanye ini."
        ),
        beneficiary="Warga Desa Wonosari, Kecamatan Ngawen, Gunungkidul (sekitar 240 keluarga)",
        goal_amount=Decimal(75_000_000), starts_on=start, ends_on=start + 365 * DAY,
        payment_instructions=PAYMENT_INSTRUCTIONS,
    )
    pledgers = featured + [u for u in rng.sample(alumni, min(len(alumni), PLEDGERS + 12)) if u not in featured]
    pledgers = pledgers[:PLEDGERS]
    one_off_donors = [u for u in alumni if u not in pledgers][:10]
    pledges: list[Pledge] = []
    for n, donor in enumerate(pledgers):
        begins = start + rng.randint(0, 35) * DAY
        monthly = n in (1, 4, 9)  # Budi and two others give once a month
        if monthly:
            terms = PledgeTerms(amount=Decimal(rng.choice([100_000, 250_000, 500_000])),
                                frequency=Pledge.Frequency.MONTHLY, day_of_month=[25, 31, 1][(n // 4) % 3],
                                starts_on=begins, anonymous=rng.random() < 0.2)
        else:
            amount = rng.choices([10_000, 20_000, 50_000], weights=[7, 2, 1])[0]
            terms = PledgeTerms(amount=Decimal(20_000 if n == 0 else amount), frequency=Pledge.Frequency.WEEKLY,
                                weekday=FRIDAY, starts_on=begins, anonymous=rng.random() < 0.25,
                                # One pledger promised sixteen Fridays only; that pledge has run its course.
                                ends_on=begins + 16 * 7 * DAY if n == 7 else None)
        pledges.append(services.pledge_create(donor=donor, campaign=campaign, terms=terms, today=begins))
    run.made["pledges"] += len(pledges)
    Pledge.objects.bulk_update(
        [setattr(p, "created_at", _at(p.starts_on - rng.randint(0, 2) * DAY, rng)) or p for p in pledges],
        ["created_at"],
    )

    # The instalment tick, run on the days that matter: one pledger stopped two months ago, one paused last month.
    stopped, paused = pledges[5], pledges[11]
    stop_on, pause_on = today - 55 * DAY, today - 25 * DAY
    services.instalments_generate(today=stop_on)
    # Its last Friday went unpaid: stopping cancels it.
    _pay_instalments(run, campaign, staff, stopped, until=stop_on - 7 * DAY)
    services.pledge_stop(pledge=stopped, user=stopped.donor)
    services.instalments_generate(today=pause_on)
    _pay_instalments(run, campaign, staff, paused, until=pause_on)
    services.pledge_pause(pledge=paused, user=paused.donor)
    services.instalments_generate(today=today)
    for n, pledge in enumerate(pledges):
        if pledge not in (stopped, paused):
            # Siti and two others paid last Friday's instalment and wait for staff: the queue always has work.
            _pay_instalments(run, campaign, staff, pledge, until=today, keep_waiting=n in (0, 2, 3))
    run.made["instalments"] += Instalment.objects.filter(pledge__campaign=campaign).count()

    # One-off gifts, a Friday box at the campus mosque counted by staff, and one transfer that never arrived.
    for donor, amount in zip(one_off_donors, [2_500_000, 1_000_000, 5_000_000, 500_000, 1_500_000, 750_000,
                                              10_000_000, 300_000, 2_000_000, 1_000_000], strict=False):
        day = start + rng.randint(3, 100) * DAY
        run.give(campaign=campaign, donor=donor, by=staff, verify_on=day + rng.randint(1, 3) * DAY,
                 gift=_gift(rng, amount, day, anonymous=amount >= 10_000_000 or rng.random() < 0.2,
                            message=rng.choice(WAKAF_MESSAGES)))
    last_friday = today - ((today.weekday() - FRIDAY) % 7) * DAY
    for weeks_ago, amount in ((14, 1_275_000), (9, 1_850_000), (4, 2_215_000)):
        day = last_friday - weeks_ago * 7 * DAY
        run.give(campaign=campaign, donor=None, by=staff, verify_on=day,
                 gift=Gift(amount=Decimal(amount), method=Donation.Method.CASH, paid_on=day,
                           donor_name="Kotak wakaf Jumat Masjid Kampus"))
    if one_off_donors:
        day = today - 12 * DAY
        wrong = run.give(campaign=campaign, donor=one_off_donors[-1], by=staff, verify_on=None,
                         gift=_gift(rng, 150_000, day, method=Donation.Method.BANK_TRANSFER))
        run.reject(wrong, by=staff, on=day + 2 * DAY,
                   reason="Dana tidak ditemukan di rekening wakaf pada tanggal tersebut. Mohon unggah bukti "
                          "transfer yang memuat nomor referensi, atau hubungi staf prodi.")

    # Fundraising contact needs a yes (the default is no): some pledgers gave it, so Friday reminders reach them.
    version = CONSENT_WORDING[Consent.Purpose.FUNDRAISING][0]
    for donor in pledgers[:CONSENTING]:
        if not Consent.objects.filter(user=donor, purpose=Consent.Purpose.FUNDRAISING).exists():
            consent_record(user=donor, purpose=Consent.Purpose.FUNDRAISING, granted=True, wording_version=version)
            run.made["consents"] += 1
    return lambda: _wakaf_spent(run, campaign, staff)


def _wakaf_spent(run: Run, campaign: Campaign, staff: User) -> None:
    today = run.today
    run.update(campaign, by=staff, on=today - 68 * DAY, title="Titik sumur sudah disurvei",
               body="Tim geolistrik menemukan lapisan air di kedalaman sekitar 75 meter di tanah wakaf dekat "
                    "mushala dusun. Terima kasih untuk wakaf Jumat Anda!")
    run.disburse(campaign, by=staff, on=today - 70 * DAY, amount=1_500_000, recipient="CV Tirta Geoteknik",
                 purpose="Survei geolistrik titik sumur bor")
    run.disburse(campaign, by=staff, on=today - 20 * DAY, amount=7_500_000, recipient="CV Tirta Geoteknik",
                 purpose="Uang muka (30%) pengeboran sumur dalam 80 m")
    run.update(campaign, by=staff, on=today - 18 * DAY, title="Uang muka pengeboran sudah dibayar",
               body="Pengeboran dijadwalkan mulai bulan depan. Kuitansi uang muka dapat dilihat di buku kas. "
                    "Sisa kebutuhan: pompa, tandon, dan panel surya.")


def _pay_instalments(run: Run, campaign: Campaign, staff: User, pledge: Pledge, *, until: datetime.date,
                     keep_waiting: bool = False) -> None:
    """Most instalments paid on the Friday or soon after; a few skipped; those of the last week mostly waiting
    for verification (or not yet paid)."""
    rng, today = run.rng, run.today
    due = list(pledge.instalments.unpaid().filter(due_on__lte=until)
               .select_related("pledge"))
    for instalment in due:
        recent = (today - instalment.due_on).days < 7
        roll = rng.random()
        if (recent and roll < 0.4 and not keep_waiting) or (not recent and roll < 0.03):
            continue  # not paid (yet): shows as due on the donor's page
        paid = min(instalment.due_on + rng.choice([0, 0, 0, 1, 2]) * DAY, today)
        # Of last week's transfers some still wait in the staff queue; older ones were checked within days.
        waiting = recent and (roll < 0.7 or keep_waiting)
        verify_on = None if waiting else paid + rng.choice([0, 1, 1, 2, 3]) * DAY
        run.give(campaign=campaign, donor=pledge.donor, by=staff, instalment=instalment, verify_on=verify_on,
                 gift=_gift(rng, int(instalment.amount), paid, anonymous=pledge.anonymous,
                            message=rng.choice(WAKAF_MESSAGES) if rng.random() < 0.1 else ""))


# --- The in-kind campaign ---------------------------------------------------------------------------------------

def _in_kind(run: Run, *, program: StudyProgram, staff: User, alumni: list[User]) -> None:
    rng, today = run.rng, run.today
    campaign = _campaign(
        run, program=program, by=staff, title=IN_KIND_TITLE, kind=Campaign.Kind.IN_KIND,
        summary="Sepuluh komputer, dua puluh meja, dan satu proyektor untuk laboratorium otomasi perpustakaan.",
        description=(
            "Laboratorium otomasi perpustakaan dipakai praktikum SLiMS, katalogisasi, dan digitalisasi arsip. "
            "Separuh komputernya berumur lebih dari sepuluh tahun. Alumni dan mitra dapat menyumbangkan barang "
            "sesuai spesifikasi di bawah; staf prodi memverifikasi setiap barang yang diterima."
        ),
        beneficiary="Laboratorium Otomasi Perpustakaan, Prodi Ilmu Perpustakaan",
        goal_amount=None, starts_on=today - 60 * DAY, ends_on=today + 60 * DAY,
        payment_instructions="Barang diantar ke Laboratorium Otomasi Perpustakaan, Gedung Fakultas lantai 3, "
                             "Senin–Jumat pukul 08.00–15.00. Foto serah terima sebagai bukti.",
    )
    computer, desk, projector = (
        CampaignItem.objects.create(campaign=campaign, name=name, quantity_needed=quantity, unit=unit, position=n)
        for n, (name, quantity, unit) in enumerate([
            ("Komputer desktop (Core i5, RAM 16 GB, SSD 512 GB, monitor 22\")", 10, "unit"),
            ("Meja komputer 120 × 60 cm", 20, "buah"),
            ("Proyektor LCD 4.000 lumen", 1, "unit"),
        ])
    )
    donors = alumni[:4]
    gifts = [  # (days ago, donor, items, verified)
        (50, donors[0], {computer: 3}, True),
        (35, None, {computer: 2, desk: 10}, True),
        (20, donors[1], {desk: 6}, True),
        (12, donors[2], {computer: 1}, True),
        (2, donors[3], {projector: 1}, False),
    ]
    for days_ago, donor, items, verified in gifts:
        day = today - days_ago * DAY
        day -= max(0, day.weekday() - 4) * DAY  # delivered Monday to Friday, as the instructions say
        gift = Gift(amount=Decimal(0), method=Donation.Method.IN_KIND, paid_on=day, items=items,
                    proof=ContentFile(_png((200, 170, 120)), name=f"{uuid.UUID(int=rng.getrandbits(128)).hex}.png"),
                    anonymous=days_ago == 12,
                    donor_name="" if donor else "PT Mizan Pustaka (CSR, melalui alumni angkatan 2009)",
                    message="Semoga bermanfaat untuk adik-adik mahasiswa." if days_ago == 50 else "")
        run.give(campaign=campaign, donor=donor, by=staff, verify_on=day + DAY if verified else None, gift=gift)
    run.update(campaign, by=staff, on=today - 33 * DAY, title="Lima komputer dan sepuluh meja sudah terpasang",
               body="Praktikum katalogisasi semester ini sudah memakai komputer baru. Masih dibutuhkan lima "
                    "komputer, sepuluh meja, dan satu proyektor.")


# --- The emergency fundraising ----------------------------------------------------------------------------------

EMERGENCY_CASH = [
    ("Ikatan Alumni Bahasa dan Sastra Arab angkatan 2008", 7_500_000),
    ("Dosen dan tendik Fakultas Adab dan Humaniora", 9_000_000),
    ("Kotak amal halalbihalal fakultas", 3_275_000),
    ("HMPS Bahasa dan Sastra Arab", 2_150_000),
]
EMERGENCY_MESSAGES = ["Syafakallah, Ustadz.", "Semoga lekas sembuh, Pak.", "Terima kasih atas ilmunya, Pak.",
                      "Dari murid yang dulu sering Bapak tegur :)", "", "", ""]


def _emergency(run: Run, *, program: StudyProgram, staff: User, alumni: list[User]) -> Callable:
    rng, today = run.rng, run.today
    start = today - 230 * DAY
    close = start + 60 * DAY
    campaign = _campaign(
        run, program=program, by=staff, title=EMERGENCY_TITLE, kind=Campaign.Kind.EMERGENCY,
        summary="Bantuan biaya operasi, hemodialisis, dan obat untuk dosen kita yang sedang sakit.",
        description=(
            "Bapak Abdul Karim, pengampu Nahwu dan Balaghah sejak 1998, didiagnosis gagal ginjal kronis dan harus "
            "menjalani operasi serta hemodialisis dua kali sepekan. Sebagian biaya tidak ditanggung asuransi. "
            "Mari meringankan beban beliau dan keluarga."
        ),
        beneficiary="Dr. H. Abdul Karim Hasibuan, M.A., dosen Bahasa dan Sastra Arab",
        goal_amount=Decimal(50_000_000), starts_on=start, ends_on=None,  # the dates and status are closed below
        payment_instructions=PAYMENT_INSTRUCTIONS,
    )
    # Emergencies collect fast: most gifts in the first weeks.
    planned: list[tuple[datetime.date, User | None, int, str]] = []
    total = sum(amount for _name, amount in EMERGENCY_CASH)
    for name, amount in EMERGENCY_CASH:
        planned.append((start + rng.randint(5, 40) * DAY, None, amount, name))
    donors = rng.sample(alumni, min(len(alumni), 60))
    amounts = [100_000, 150_000, 200_000, 250_000, 300_000, 500_000, 500_000, 1_000_000, 1_000_000, 2_000_000,
               2_500_000]
    for donor in donors:
        remaining = int(EMERGENCY_TARGET) - total
        if remaining <= 0:
            break
        amount = rng.choice(amounts)
        if remaining - amount < 100_000:
            amount = remaining
        planned.append((start + int(55 * rng.random() ** 2) * DAY, donor, amount, ""))
        total += amount
    for day, donor, amount, name in sorted(planned, key=lambda row: row[0]):
        verify_on = day + rng.choice([0, 1, 1, 2]) * DAY
        if donor is None:
            gift = Gift(amount=Decimal(amount), method=Donation.Method.CASH, paid_on=day, donor_name=name)
        else:
            gift = _gift(rng, amount, day, anonymous=rng.random() < 0.3, message=rng.choice(EMERGENCY_MESSAGES))
        run.give(campaign=campaign, donor=donor, by=staff, verify_on=verify_on, gift=gift)
    return lambda: _emergency_spent(run, campaign, staff, start=start, close=close)


def _emergency_spent(run: Run, campaign: Campaign, staff: User, *, start: datetime.date,
                     close: datetime.date) -> None:
    run.update(campaign, by=staff, on=start + 26 * DAY, title="Operasi berjalan lancar",
               body="Alhamdulillah, operasi pemasangan akses hemodialisis berhasil. Beliau menitipkan salam dan "
                    "terima kasih untuk semua alumni.")
    run.disburse(campaign, by=staff, on=start + 30 * DAY, amount=24_500_000, recipient="RS PKU Muhammadiyah Yogyakarta",
                 purpose="Biaya operasi dan rawat inap")
    run.disburse(campaign, by=staff, on=start + 50 * DAY, amount=14_400_000, recipient="RS PKU Muhammadiyah Yogyakarta",
                 purpose="Hemodialisis dua kali sepekan selama delapan pekan")
    run.disburse(campaign, by=staff, on=close + 5 * DAY, amount=6_850_000, recipient="Apotek Kimia Farma Kotabaru",
                 purpose="Obat-obatan dan suplemen pascaoperasi")
    run.disburse(campaign, by=staff, on=close + 12 * DAY, amount=5_000_000,
                 recipient="Keluarga Bapak Abdul Karim Hasibuan", purpose="Biaya transportasi dan perawatan di rumah")
    left = services.campaign_balance(campaign)["balance"]
    run.update(campaign, by=staff, on=close + 14 * DAY, title="Terima kasih: penggalangan ditutup",
               body=f"Terkumpul Rp {int(EMERGENCY_TARGET):,} dari alumni, dosen, dan mahasiswa, melebihi target. "
                    f"Rincian penggunaan ada di buku kas; sisa Rp {int(left):,} disimpan untuk kontrol berikutnya."
                    .replace(",", "."))
    # Closed by staff once the money was spent: after this no gift or pledge is accepted.
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED, ends_on=close)


# --- Entry point ------------------------------------------------------------------------------------------------

def seed_giving(*, rng: random.Random | None = None) -> dict[str, int]:
    """Create the demo campaigns that do not exist yet; returns counts of what was created."""
    rng = rng or random.Random(2026)
    run = Run(rng=rng, today=timezone.localdate())
    programs = {p.code: p for p in StudyProgram.objects.filter(code__in=["71201", "79202"])
                .select_related("faculty__institution")}
    staff = {u.email: u for u in User.objects.filter(email__in=["staff.ip@demo.ac.id", "staff.bsa@demo.ac.id"])}
    if "71201" not in programs or "staff.ip@demo.ac.id" not in staff:
        return run.made  # seed_demo makes the people first
    ip, staff_ip = programs["71201"], staff["staff.ip@demo.ac.id"]
    bsa, staff_bsa = programs.get("79202", ip), staff.get("staff.bsa@demo.ac.id", staff_ip)
    alumni = list(User.objects.filter(alumni_profile__isnull=False, email__endswith="demo.ac.id", is_active=True)
                  .order_by("email"))
    featured = [u for email in ("siti.rahmawati@demo.ac.id", "budi.santoso@demo.ac.id")
                for u in alumni if u.email == email]
    existing = set(Campaign.objects.filter(title__in=TITLES).values_list("title", flat=True))
    with _no_emails(), transaction.atomic():
        spend = []
        if EMERGENCY_TITLE not in existing:
            spend.append(_emergency(run, program=bsa, staff=staff_bsa, alumni=alumni))
        if WAKAF_TITLE not in existing:
            spend.append(_wakaf(run, program=ip, staff=staff_ip, alumni=alumni, featured=featured))
        if IN_KIND_TITLE not in existing:
            _in_kind(run, program=ip, staff=staff_ip, alumni=[u for u in reversed(alumni) if u not in featured])
        # All three campaigns' verifications in date order: receipt numbers follow the calendar. Money is spent
        # only once it is verified (disbursements may not overdraw).
        run.verify_all()
        for finish in spend:
            finish()
    return run.made


def seed_demo(rng) -> str:
    """The demo seeder registered with core (core.registry.register_demo_seeder): run by `seed_demo`."""
    giving = seed_giving(rng=rng)
    # bulk_update()d donations and an update()d closed campaign send no post_save: no page cached before shows
    # them stale.
    giving_changed()
    return (f"Giving: {giving['campaigns']} new campaigns, {giving['pledges']} pledges with "
            f"{giving['instalments']} instalments, {giving['donations']} donations "
            f"({giving['verified']} verified, {giving['pending']} pending, {giving['rejected']} "
            f"rejected), {giving['disbursements']} disbursements.")
