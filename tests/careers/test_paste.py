"""Paste-to-post: a job ad as it circulates in WhatsApp groups becomes the fields of a vacancy.

The corpus in tests/data/careers/vacancies holds one message per file and, in expected.json, what a person reading
the message would fill in. No database: careers.paste is pure Python.
"""

import datetime
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from alumni.provinces import PROVINCES
from careers.paste import MAX_CHARS, PastedVacancy, _parse, normalise_phone, parse_date, parse_vacancy
from careers.places import ALIASES, AMBIGUOUS_CITIES, CITIES

TODAY = datetime.date(2026, 12, 1)
CORPUS = Path(__file__).resolve().parent.parent / "data" / "careers" / "vacancies"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
FIELDS = ["title", "organisation", "kind", "city", "province_code", "remote", "closing_date", "apply_email",
          "apply_url", "phone", "salary_min", "salary_max"]


def _read(name: str) -> str:
    # bytes, so a message saved with Windows line endings reaches the parser with them
    return (CORPUS / name).read_bytes().decode("utf-8")


def _as_expected(vacancy: PastedVacancy) -> dict:
    values = {name: getattr(vacancy, name) for name in FIELDS}
    values["closing_date"] = vacancy.closing_date.isoformat() if vacancy.closing_date else None
    return values


def test_the_corpus_has_at_least_22_messages_each_with_every_expected_field():
    files = sorted(path.name for path in CORPUS.glob("*.txt"))
    assert len(files) >= 22
    assert sorted(EXPECTED) == files
    for name, expected in EXPECTED.items():
        assert sorted(expected) == sorted(FIELDS), name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_pasted_message_gives_the_fields_a_reader_would_fill_in(name):
    assert _as_expected(parse_vacancy(_read(name), today=TODAY)) == EXPECTED[name]


def test_the_corpus_includes_a_message_with_windows_line_endings():
    assert "\r\n" in _read("02_staff_admin_gudang_cikarang.txt")


def test_found_names_the_fields_that_were_filled_in_their_form_order():
    vacancy = parse_vacancy(_read("02_staff_admin_gudang_cikarang.txt"), today=TODAY)
    assert vacancy.found == ["title", "organisation", "kind", "province_code", "city", "closing_date", "phone",
                             "salary_min", "salary_max", "requirements", "description"]
    assert parse_vacancy("", today=TODAY).found == []


def test_requirements_are_the_bullets_under_the_heading_up_to_the_next_paragraph():
    vacancy = parse_vacancy(_read("02_staff_admin_gudang_cikarang.txt"), today=TODAY)
    assert vacancy.requirements == (
        "- Pria/Wanita, usia maks. 28 tahun\n"
        "- Pendidikan min. D3 semua jurusan\n"
        "- Menguasai Ms. Excel (vlookup, pivot)\n"
        "- Bersedia kerja shift"
    )
    assert "Persyaratan" not in vacancy.description
    assert "Bersedia kerja shift" not in vacancy.description
    assert "Gaji Rp 4.500.000 - Rp 6.000.000" in vacancy.description
    assert "\r" not in vacancy.description


def test_requirements_stop_at_the_next_heading_and_lose_their_emoji_and_bold_markers():
    vacancy = parse_vacancy(_read("01_pustakawan_perpustakaan_uii.txt"), today=TODAY)
    assert vacancy.requirements.splitlines() == [
        "• S1 Ilmu Perpustakaan / D3 Perpustakaan",
        "• IPK minimal 3,00",
        "• Menguasai SLiMS dan katalogisasi (DDC, RDA)",
        "• Usia maksimal 30 tahun",
    ]
    english = parse_vacancy(_read("03_backend_engineer_remote.txt"), today=TODAY)
    assert english.requirements.splitlines() == [
        "• 2+ years experience with Python & Django",
        "• Familiar with PostgreSQL, Redis, Celery",
        "• Good communication in English",
    ]
    assert "What we offer:" in english.description


def test_requirements_listed_with_emoji_or_a_lone_tilde_keep_a_bullet():
    pesantren = parse_vacancy(_read("31_ustadzah_bahasa_arab_pesantren.txt"), today=TODAY)
    assert pesantren.requirements == "• Alumni S1 PBA/BSA\n• Hafal minimal 5 juz\n• Siap tinggal di asrama"
    bank = parse_vacancy(_read("06_odp_bank_bni.txt"), today=TODAY)
    assert bank.requirements.splitlines()[0] == "• Pendidikan S1/S2 semua jurusan dari PTN/PTS terakreditasi"
    assert len(bank.requirements.splitlines()) == 4


def test_requirements_written_on_the_heading_line_itself_are_kept():
    vacancy = parse_vacancy(_read("21_pustakawan_sma_surakarta.txt"), today=TODAY)
    assert vacancy.requirements == "D3/S1 Ilmu Perpustakaan, menguasai SLiMS, domisili Solo Raya."


def test_a_line_that_only_mentions_terms_and_conditions_is_not_a_requirements_heading():
    vacancy = parse_vacancy("Lowongan Admin\nSyarat dan ketentuan berlaku.\nKirim CV ke a@b.com", today=TODAY)
    assert vacancy.requirements == ""


def test_a_bulleted_requirements_list_ends_at_the_first_line_without_a_bullet():
    text = "Lowongan Kasir\nPersyaratan:\n• Jujur\n• Teliti\nKirim lamaran ke kasir@tokoku.id\nGaji 3 juta"
    assert parse_vacancy(text, today=TODAY).requirements == "• Jujur\n• Teliti"


def test_what_the_candidate_has_done_does_not_decide_the_kind_of_job_or_remote_work():
    text = (
        "Lowongan Staff IT - PT Data Prima\nKualifikasi:\n- Pernah magang di bidang IT\n"
        "- Experience working remotely is a plus\n- Pengalaman sebagai freelancer diutamakan\nPenempatan: Bogor"
    )
    vacancy = parse_vacancy(text, today=TODAY)
    assert (vacancy.kind, vacancy.remote, vacancy.city, vacancy.province_code) == ("", False, "Bogor", "020000")


@pytest.mark.parametrize(
    ("text", "kind", "remote"),
    [
        ("Lowongan Legal Officer\nTugas: review kontrak dan perjanjian kerja sama", "", False),
        ("Lowongan Staf Audit\nBagian: Satuan Pengawasan Intern (SPI), auditor intern", "", False),
        ("Vacancy: Program Assistant\nVolunteer experience is a plus", "", False),
        ("Vacancy: Remote Sensing Specialist\nLocation: Bogor", "", False),
        ("Lowongan Desainer Grafis (Part-time, WFH)", "part_time", True),
        ("Open recruitment Penerjemah lepas bahasa Arab", "freelance", False),
        ("Dicari Admin, status PKWTT", "full_time", False),
        ("Dicari guru, status karyawan tetap setelah 1 tahun kontrak", "contract", False),
        ("Program magang bersertifikat (MSIB), bisa WFA", "internship", True),
        ("Relawan pengajar untuk desa terpencil", "volunteer", False),
    ],
)
def test_the_kind_of_job_and_remote_work_come_from_what_the_ad_says_of_the_job(text, kind, remote):
    vacancy = parse_vacancy(text, today=TODAY)
    assert (vacancy.kind, vacancy.remote) == (kind, remote)


@pytest.mark.parametrize(
    ("text", "organisation"),
    [
        ("Lowongan Admin\nSyarat:\n- Memiliki rekening Bank BCA\n- Lulusan Universitas Indonesia diutamakan", ""),
        ("Lowongan Admin\nSertifikat dari Badan Nasional Sertifikasi Profesi diutamakan", ""),
        ("Lowongan Admin\nInterview di Hotel Santika Bandung", ""),
        ("Posisi: Admin\nInfo dari PT Maju Mundur", "PT Maju Mundur"),
        ("Posisi: Admin\nPerusahaan: CV Karya Utama (Sidoarjo)", "CV Karya Utama"),
        ("Halo semua! Yayasan Cahaya Ilmu membuka lowongan guru SD.", "Yayasan Cahaya Ilmu"),
    ],
)
def test_the_organisation_is_the_employer_not_a_name_the_requirements_mention(text, organisation):
    assert parse_vacancy(text, today=TODAY).organisation == organisation


def test_the_position_after_an_organisation_that_is_looking_for_candidates_is_the_title():
    vacancy = parse_vacancy("PT Arta Boga sedang mencari kandidat untuk posisi Marketing Executive.", today=TODAY)
    assert (vacancy.title, vacancy.organisation) == ("Marketing Executive", "PT Arta Boga")


def test_a_list_item_is_the_title_only_under_a_positions_heading():
    text = "PT Samudra Logistik\nJob Description:\n- Prepare shipping documents\n- Coordinate with forwarders"
    assert parse_vacancy(text, today=TODAY).title == ""
    listed = parse_vacancy("PT Samudra Logistik membuka lowongan:\n1. Staff Gudang\n2. Driver", today=TODAY)
    assert (listed.title, listed.organisation) == ("Staff Gudang", "PT Samudra Logistik")


def test_a_title_or_organisation_in_capitals_is_written_as_people_write_it():
    vacancy = parse_vacancy("LOWONGAN STAFF IT - PT SINAR JAYA ABADI (BANDUNG)", today=TODAY)
    assert (vacancy.title, vacancy.organisation, vacancy.city) == ("Staff IT", "PT Sinar Jaya Abadi", "Bandung")


@pytest.mark.parametrize(
    ("text", "city", "province_code"),
    [
        ("Lowongan Staff Admin\nLokasi: Kota Batu, Jawa Timur", "Batu", "050000"),
        ("Lowongan Staff Admin\nPenempatan: Jakarta, Bandung, Surabaya", "Jakarta", "010000"),
        ("Lowongan Staff Admin\nLokasi: Kab. Bogor", "Bogor", "020000"),
        ("Lowongan Guru Ngaji\nAlamat: Jl. Malang No. 5, Bandung", "Bandung", "020000"),
        ("Vacancy: Field Officer\nLocation: Nusa Tenggara Timur (Sumba)", "", "240000"),
        ("Lowongan Staff Gudang\nPenempatan: Jawa Tengah", "", "030000"),
        ("Dibutuhkan Sopir untuk area Jabodetabek", "", ""),
        ("Lowongan Pramuniaga Toko Batu Akik", "", ""),
        ("Lowongan Kasir\nTempat kerja: Jogja", "Yogyakarta", "040000"),
        ("Lowongan Barista\nLokasi: Solo", "Surakarta", "030000"),
        ("Info Lowongan Bank Jatim\nPosisi: Teller", "", ""),
        ("Lowongan Admin\nKualifikasi:\n- Lulusan Universitas Brawijaya Malang diutamakan", "", ""),
        ("Lowongan Admin\nKualifikasi:\n- Lulusan Universitas Brawijaya Malang\n- Domisili Kediri", "Kediri", "050000"),
    ],
)
def test_the_city_and_province_come_from_where_the_job_is(text, city, province_code):
    vacancy = parse_vacancy(text, today=TODAY)
    assert (vacancy.city, vacancy.province_code) == (city, province_code)


def test_a_title_does_not_end_in_a_preposition_nor_start_with_one():
    assert parse_vacancy("Dibutuhkan Sopir untuk area Jabodetabek", today=TODAY).title == "Sopir"
    assert parse_vacancy("Lowongan kerja di Aceh untuk lulusan SMK", today=TODAY).title == ""


def test_the_description_is_the_message_without_its_title_line_emoji_and_whatsapp_markers():
    vacancy = parse_vacancy(_read("01_pustakawan_perpustakaan_uii.txt"), today=TODAY)
    assert "Pustakawan - Perpustakaan" not in vacancy.description
    assert "📍" not in vacancy.description and "*" not in vacancy.description
    assert "Penempatan: Sleman, Yogyakarta" in vacancy.description
    assert "Subjek: Pustakawan_Nama" in vacancy.description


DATE_PHRASES = [
    ("paling lambat 15 Desember 2026", "2026-12-15"),
    ("deadline 15/12/2026", "2026-12-15"),
    ("batas akhir: 15-12-2026", "2026-12-15"),
    ("ditutup 15 Des 2026", "2026-12-15"),
    ("s.d. 15 Desember", "2026-12-15"),
    ("sampai tanggal 15 Desember 2026", "2026-12-15"),
    ("closing date: 15 December 2026", "2026-12-15"),
    ("Deadline: December 15, 2026", "2026-12-15"),
    ("Deadline 15th December 2026", "2026-12-15"),
    ("paling lambat 15.12.2026", "2026-12-15"),
    ("deadline 15/12/26", "2026-12-15"),
    ("apply by 2026-12-24", "2026-12-24"),
    ("deadline 2026/12/24", "2026-12-24"),
    ("s/d 17/12/2026", "2026-12-17"),
    ("deadline 31st of December 2026", "2026-12-31"),
    ("closing: Thursday, 17 December 2026", "2026-12-17"),
    ("ditutup 17 DESEMBER 2026 pukul 23.59 WIB", "2026-12-17"),
    ("ditutup 3 Jan", "2027-01-03"),
    ("batas akhir 1 Desember", "2026-12-01"),
    ("paling lambat 30 November", "2027-11-30"),
    ("deadline 1 Feb 2027", "2027-02-01"),
    ("ditutup 31 Mar 2027", "2027-03-31"),
    ("sebelum 1 Apr 2027", "2027-04-01"),
    ("deadline 7 Mei 2027", "2027-05-07"),
    ("ditutup 12 Jun 2027", "2027-06-12"),
    ("ditutup 12 Jul 2027", "2027-07-12"),
    ("deadline 5 Agt 2027", "2027-08-05"),
    ("deadline 6 Agu 2027", "2027-08-06"),
    ("ditutup 17 Agustus 2027", "2027-08-17"),
    ("sebelum 2 Sept 2027", "2027-09-02"),
    ("deadline 9 Okt 2027", "2027-10-09"),
    ("ditutup 2 Nov 2027", "2027-11-02"),
    ("Periode pendaftaran: 1 - 14 Desember 2026", "2026-12-14"),
    ("Pendaftaran 1 Desember s.d. 20 Desember 2026", "2026-12-20"),
    ("Deadline:\n18 Desember 2026", "2026-12-18"),
    ("📅 21 Desember 2026", "2026-12-21"),
    ("Deadline: 29 Februari", "2028-02-29"),
    ("Deadline 18/12", "2026-12-18"),
    ("Deadline: 12/15/2026", "2026-12-15"),
    ("paling lambat tgl 3-1", "2027-01-03"),
    ("ditutup pukul 15.00 WIB", None),
    ("deadline 31/02/2027", None),
    ("Tes wawancara 20 Desember 2026", None),
    ("Jam kerja 09.00-17.00", None),
]


@pytest.mark.parametrize(("phrase", "expected"), DATE_PHRASES)
def test_a_closing_date_phrase_gives_its_date(phrase, expected):
    vacancy = parse_vacancy(f"Lowongan Staff Administrasi\n{phrase}\n", today=TODAY)
    assert (vacancy.closing_date.isoformat() if vacancy.closing_date else None) == expected


def test_a_date_without_a_year_that_has_passed_this_year_is_next_years():
    assert parse_date("15 Januari", today=TODAY) == datetime.date(2027, 1, 15)
    assert parse_vacancy("Guru Bahasa Arab\nDitutup 15 Januari", today=TODAY).closing_date == datetime.date(
        2027, 1, 15
    )
    assert parse_date("15 Januari", today=datetime.date(2027, 1, 10)) == datetime.date(2027, 1, 15)


SALARY_PHRASES = [
    ("Gaji Rp 4.500.000 - Rp 6.000.000", 4_500_000, 6_000_000),
    ("gaji 4,5 - 6 juta", 4_500_000, 6_000_000),
    ("Rp5jt–7jt", 5_000_000, 7_000_000),
    ("gaji 8 jt", 8_000_000, 8_000_000),
    ("Gaji: UMR", None, None),
    ("Gaji UMR Karawang + lembur", None, None),
    ("Salary: IDR 10,000,000 - 15,000,000", 10_000_000, 15_000_000),
    ("Gaji pokok Rp 3.500.000,00", 3_500_000, 3_500_000),
    ("Take home pay 7 - 9 juta/bulan", 7_000_000, 9_000_000),
    ("Salary IDR 12.5 million", 12_500_000, 12_500_000),
    ("Uang saku 500rb/bulan", 500_000, 500_000),
    ("Gaji 2,5jt s.d. 3jt", 2_500_000, 3_000_000),
    ("gaji 3.5 - 4.5 jt", 3_500_000, 4_500_000),
    ("Gaji Rp 4 juta", 4_000_000, 4_000_000),
    ("Honor Rp 75.000/jam", None, None),
    ("Biaya administrasi Rp 500.000", None, None),
    ("Bonus Rp 500.000 per bulan", None, None),
    ("Honor: Rp 150.000 per sesi (90 menit)", None, None),
    ("Fee Rp 250rb/artikel", None, None),
    ("Gaji Rp 3.000.000 + tunjangan Rp 500.000", 3_000_000, 3_000_000),
    ("Salary: competitive", None, None),
    ("Gaji mulai 4 juta", 4_000_000, None),
    ("Gaji s/d 7 juta", None, 7_000_000),
    ("Salary up to IDR 15.000.000", None, 15_000_000),
    ("Salary range IDR 8M - 10M", 8_000_000, 10_000_000),
    ("Gaji Rp 3.000K", 3_000_000, 3_000_000),
    ("💰 4-5jt", 4_000_000, 5_000_000),
    ("Gaji Rp 120 jt/tahun", None, None),
    ("Gaji Rp. 3.500.000,-", 3_500_000, 3_500_000),
    ("Gaji pokok: Rp 2.750.000 + uang makan Rp 20.000/hari", 2_750_000, 2_750_000),
]


@pytest.mark.parametrize(("phrase", "low", "high"), SALARY_PHRASES)
def test_a_salary_phrase_gives_its_range_in_rupiah(phrase, low, high):
    vacancy = parse_vacancy(f"Lowongan Staff Gudang\n{phrase}\n", today=TODAY)
    assert (vacancy.salary_min, vacancy.salary_max) == (low, high)


PHONES = [
    ("0812-3456-7890", "+6281234567890"),
    ("628123456789", "+628123456789"),
    ("+62 812 3456 7890", "+6281234567890"),
    ("+62-812-3456-7890", "+6281234567890"),
    ("+62 (0)812 3456 7890", "+6281234567890"),
    ("(0274) 868405", "+62274868405"),
    ("021-5551234", "+62215551234"),
    ("0812", ""),
    ("12345678", ""),
    ("+1 415 555 0100", ""),
    ("0812345678901234", ""),
]


@pytest.mark.parametrize(("raw", "expected"), PHONES)
def test_an_indonesian_phone_number_is_normalised_to_plus_62(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Hubungi WA 0812 3456 7890 (Bu Ani)", "+6281234567890"),
        ("CP: +62 811-5432-1098", "+6281154321098"),
        ("Chat wa.me/6285712345678", "+6285712345678"),
        ("Telp (021) 5551234 / WA 0811-222-3333", "+628112223333"),
        ("Telp kantor (0274) 868405", "+62274868405"),
        ("Nomor: 800/123/BKPSDM/2026, gaji Rp 4.500.000", ""),
    ],
)
def test_the_phone_in_a_message_prefers_a_mobile_whatsapp_number(line, expected):
    assert parse_vacancy(f"Lowongan Staff\n{line}", today=TODAY).phone == expected


def test_input_longer_than_the_limit_is_cut_before_parsing():
    text = "Lowongan Staff Admin - PT Maju Jaya\n" + "Deskripsi pekerjaan panjang sekali. " * 2000
    vacancy = parse_vacancy(text, today=TODAY)
    assert vacancy.title == "Staff Admin"
    assert len(vacancy.description) <= MAX_CHARS
    late = "x" * MAX_CHARS + "\nkirim ke late@example.com"
    assert parse_vacancy(late, today=TODAY).apply_email == ""


_FUZZ_PIECES = [
    "LOKER", "*", "_", "~", "📢", "🔥", "✅", "📍", "📅", "📧", "•", "- ", "1.", "\n", "\r\n", "\r", " ", ":", "-",
    "/", ".", ",", "Rp", "Rp.", "IDR", "juta", "jt", "rb", "4.500.000", "4,5", "0812", "+62", "62", "(", ")", "[",
    "]", "@", "http://", "https://", "bit.ly/", "s.id/", "wa.me/", "www.", "Desember", "Des", "Jan", "15", "31",
    "2026", "26", "s.d.", "deadline", "paling lambat", "PT ", "CV ", "Bank ", "Universitas ", "di ", "at ",
    "Lokasi:", "Penempatan:", "Domisili", "Jaksel", "Bandung", "Kualifikasi:", "Syarat:", "magang", "remote",
    "WFH", "kontrak", "\t", "\u200b", "\ufeff", "\x00", "ﬁ", "𝗟𝗢𝗞𝗘𝗥", "٣", "é", "\\", "(", "$", "%", "#loker",
]


def _fuzz_text(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return "".join(chr(rng.randint(0, 0x2FFFF)) for _ in range(rng.randint(0, 300)))
    return "".join(rng.choice(_FUZZ_PIECES) for _ in range(rng.randint(0, 120)))


def test_random_text_never_makes_the_parser_raise():
    rng = random.Random(20261201)  # noqa: S311 - reproducible fuzzing, not security
    for _ in range(400):
        text = _fuzz_text(rng)
        # the inner function, not the safety net: the parser itself must survive the text
        vacancy = _parse(text, today=TODAY)
        assert isinstance(vacancy, PastedVacancy)
        assert parse_vacancy(text, today=TODAY).found == vacancy.found


def test_corpus_messages_cut_and_scrambled_at_random_never_make_the_parser_raise():
    rng = random.Random(1912)  # noqa: S311 - reproducible fuzzing, not security
    messages = [_read(name) for name in sorted(EXPECTED)]
    for _ in range(300):
        text = list(rng.choice(messages))
        for _ in range(rng.randint(1, 40)):
            position = rng.randrange(len(text) + 1)
            action = rng.random()
            if action < 0.4 and position < len(text):
                del text[position]
            elif action < 0.8:
                text.insert(position, rng.choice(_FUZZ_PIECES))
            else:
                text[position:position] = text[rng.randrange(len(text)):][:50]
        assert isinstance(_parse("".join(text), today=TODAY), PastedVacancy)


@pytest.mark.parametrize("odd", [None, 12345, b"bytes", ["a", "list"]])
def test_a_value_that_is_not_text_is_read_as_its_text_without_an_error(odd):
    assert isinstance(parse_vacancy(odd, today=TODAY), PastedVacancy)


@pytest.mark.parametrize(
    "make",
    [
        lambda: "1" * 20_000,
        lambda: "a." * 10_000,
        lambda: "*_" * 10_000,
        lambda: "Rp 1.000" * 2_500,
        lambda: "0812-" * 4_000,
        lambda: "@a." * 6_666,
        lambda: "15 Desember " * 1_800,
        lambda: "PT A " * 4_000,
        lambda: ("Kualifikasi:\n" + "- syarat\n" * 2_000),
        lambda: "\n".join(_read(name) for name in sorted(EXPECTED)) * 3,
    ],
)
def test_a_20000_character_paste_is_parsed_to_the_end(make):
    text = make()[:MAX_CHARS]
    assert len(text) >= 15_000
    assert isinstance(_parse(text, today=TODAY), PastedVacancy)


def test_the_parser_module_needs_neither_django_nor_models():
    code = (
        "import sys, careers.paste, careers.places; "
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.') or m.endswith('.models')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parents[2], env={"PATH": "/usr/bin:/bin"})
    assert result.stdout.strip() == "[]"


def test_every_city_of_the_places_table_has_a_province_of_the_national_list():
    codes = {code for code, _ in PROVINCES}
    assert len(CITIES) >= 120
    assert set(CITIES.values()) <= codes
    assert set(ALIASES.values()) <= set(CITIES)
    assert not set(ALIASES) & set(CITIES)
    assert AMBIGUOUS_CITIES <= set(CITIES) | set(ALIASES)
    # every province has at least its capital
    assert set(CITIES.values()) == codes
