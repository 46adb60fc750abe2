"""The national core tracer questionnaire (`dikti-core`) and the employer survey (`dikti-employer`), as data.

Values are the official codes, which are NOT in display order (e.g. f1101: 6 BUMN/BUMD is shown after 3).
Options are listed here in display order; `install()` stores each with its official value and its position.
The data migration tracer/0002 calls `install()`; later edits must add a new version, never change these.
"""

from __future__ import annotations

from alumni.provinces import PROVINCES

WORKING = [{"code": "f8", "in": [1, 3]}]

# (code, page, type, text_id, text_en, required, extra)
CORE: list[dict] = [
    # --- page 1: status and first job
    dict(code="f8", page=1, type="single", required=True,
         text="Jelaskan status Anda saat ini?", text_en="What is your current status?",
         options=[(1, "Bekerja (full time/part time)", "Working (full or part time)"),
                  (3, "Wiraswasta", "Self-employed"),
                  (4, "Melanjutkan Pendidikan", "Continuing education"),
                  (5, "Tidak kerja tetapi sedang mencari kerja", "Not working but looking for work"),
                  (2, "Belum memungkinkan bekerja", "Not yet able to work")]),
    dict(code="f504", page=1, type="single", required=True, show_if=WORKING,
         text="Apakah Anda telah mendapatkan pekerjaan ≤ 6 bulan / termasuk bekerja sebelum lulus?",
         text_en="Did you get a job within 6 months of graduating (including working before graduation)?",
         options=[(1, "Ya", "Yes"), (2, "Tidak", "No")]),
    dict(code="f502", page=1, type="integer", required=True, show_if=WORKING, min=0, max=120,
         text="Dalam berapa bulan Anda mendapatkan pekerjaan?", text_en="How many months until you got the job?",
         help="Isi 0 bila sudah bekerja sebelum lulus.", help_en="Enter 0 if you were working before graduating."),
    dict(code="f505", page=1, type="money", required=True, show_if=WORKING, min=0, max=10_000_000_000,
         text="Berapa rata-rata pendapatan Anda per bulan? (take home pay)",
         text_en="What is your average monthly income? (take-home pay)"),
    dict(code="f5a1", page=1, type="single", required=True, show_if=WORKING,
         text="Dimana lokasi tempat Anda bekerja? — Provinsi", text_en="Where do you work? — Province",
         options=[(int(code), name, name) for code, name in PROVINCES]),
    dict(code="f5a2", page=1, type="text", required=False, show_if=WORKING,
         text="Dimana lokasi tempat Anda bekerja? — Kabupaten/Kota", text_en="Where do you work? — Regency/city"),
    dict(code="f1101", page=1, type="single", required=True, show_if=WORKING,
         text="Apa jenis perusahaan/instansi/institusi tempat Anda bekerja sekarang?",
         text_en="What kind of organisation do you work for now?",
         options=[(1, "Instansi pemerintah", "Government agency"),
                  (6, "BUMN/BUMD", "State- or region-owned enterprise (BUMN/BUMD)"),
                  (7, "Institusi/Organisasi Multilateral", "Multilateral institution/organisation"),
                  (2, "Organisasi non-profit/Lembaga Swadaya Masyarakat", "Non-profit organisation/NGO"),
                  (3, "Perusahaan swasta", "Private company"),
                  (4, "Wiraswasta/perusahaan sendiri", "Self-employed/own company"),
                  (5, "Lainnya", "Other")]),
    dict(code="f1102", page=1, type="text", required=True, show_if=[{"code": "f1101", "in": [5]}],
         text="Lainnya, tuliskan:", text_en="Other, please specify:"),
    dict(code="f5b", page=1, type="text", required=True, show_if=WORKING,
         text="Apa nama perusahaan/kantor tempat Anda bekerja?", text_en="What is the name of your employer?"),
    dict(code="f5c", page=1, type="single", required=True, show_if=[{"code": "f8", "in": [3]}],
         text="Bila berwiraswasta, apa posisi/jabatan Anda saat ini?",
         text_en="If self-employed, what is your current position?",
         options=[(1, "Founder", "Founder"), (2, "Co-Founder", "Co-founder"), (3, "Staff", "Staff"),
                  (4, "Freelance/Kerja Lepas", "Freelance")]),
    dict(code="f5d", page=1, type="single", required=True, show_if=WORKING,
         text="Apa tingkat tempat kerja Anda?", text_en="What is the level of your workplace?",
         options=[(1, "Lokal/wilayah/wiraswasta tidak berbadan hukum", "Local/regional/unincorporated business"),
                  (2, "Nasional/wiraswasta berbadan hukum", "National/incorporated business"),
                  (3, "Multinasional/internasional", "Multinational/international")]),
    # --- page 2: further study and funding
    dict(code="f18a", page=2, type="single", required=True, show_if=[{"code": "f8", "in": [4]}],
         text="Sumber biaya studi lanjut", text_en="Funding of your further study",
         options=[(1, "Biaya Sendiri", "Own funds"), (2, "Beasiswa", "Scholarship")]),
    dict(code="f18b", page=2, type="text", required=True, show_if=[{"code": "f8", "in": [4]}],
         text="Perguruan tinggi", text_en="University"),
    dict(code="f18c", page=2, type="text", required=True, show_if=[{"code": "f8", "in": [4]}],
         text="Program studi", text_en="Study program"),
    dict(code="f18d", page=2, type="date", required=True, show_if=[{"code": "f8", "in": [4]}],
         text="Tanggal masuk", text_en="Date of entry"),
    dict(code="f1201", page=2, type="single", required=True,
         text="Sebutkan sumber dana dalam pembiayaan kuliah? (bukan ketika studi lanjut)",
         text_en="How was your degree funded? (not further study)",
         options=[(1, "Biaya Sendiri/Keluarga", "Own/family funds"), (2, "Beasiswa ADIK", "ADIK scholarship"),
                  (3, "Beasiswa BIDIKMISI", "BIDIKMISI scholarship"), (4, "Beasiswa PPA", "PPA scholarship"),
                  (5, "Beasiswa AFIRMASI", "AFIRMASI scholarship"),
                  (6, "Beasiswa Perusahaan/Swasta", "Company/private scholarship"), (7, "Lainnya", "Other")]),
    dict(code="f1202", page=2, type="text", required=True, show_if=[{"code": "f1201", "in": [7]}],
         text="Lainnya, tuliskan:", text_en="Other, please specify:"),
    # --- page 3: fit and competences
    dict(code="f14", page=3, type="single", required=True, show_if=WORKING,
         text="Seberapa erat hubungan antara bidang studi dengan pekerjaan Anda?",
         text_en="How closely is your job related to your field of study?",
         options=[(1, "Sangat Erat", "Very closely"), (2, "Erat", "Closely"), (3, "Cukup Erat", "Fairly"),
                  (4, "Kurang Erat", "Loosely"), (5, "Tidak Sama Sekali", "Not at all")]),
    dict(code="f15", page=3, type="single", required=True, show_if=WORKING,
         text="Tingkat pendidikan apa yang paling tepat/sesuai untuk pekerjaan Anda saat ini?",
         text_en="What level of education best fits your current job?",
         options=[(1, "Setingkat Lebih Tinggi", "One level higher"), (2, "Tingkat yang Sama", "The same level"),
                  (3, "Setingkat Lebih Rendah", "One level lower"),
                  (4, "Tidak Perlu Pendidikan Tinggi", "No higher education needed")]),
]

COMPETENCES = [
    ("Etika", "Ethics"), ("Keahlian berdasarkan bidang ilmu", "Expertise in the field of study"),
    ("Bahasa Inggris", "English"), ("Penggunaan Teknologi Informasi", "Use of information technology"),
    ("Komunikasi", "Communication"), ("Kerja sama tim", "Teamwork"), ("Pengembangan diri", "Self-development"),
]
SCALE_5 = [(1, "Sangat Rendah", "Very low"), (2, "Rendah", "Low"), (3, "Cukup", "Moderate"),
           (4, "Tinggi", "High"), (5, "Sangat Tinggi", "Very high")]
CORE += [
    dict(code="f17a", page=3, type="grid", required=True,
         text="Pada saat lulus, pada tingkat mana kompetensi di bawah ini Anda kuasai?",
         text_en="At graduation, how well did you master each competence?",
         rows=[{"code": f"f{1761 + 2 * i}", "label": lid, "label_en": en} for i, (lid, en) in enumerate(COMPETENCES)],
         options=SCALE_5),
    dict(code="f17b", page=3, type="grid", required=True, show_if=WORKING,
         text="Pada saat ini, pada tingkat mana kompetensi di bawah ini diperlukan dalam pekerjaan?",
         text_en="Now, how much does your job need each competence?",
         rows=[{"code": f"f{1762 + 2 * i}", "label": lid, "label_en": en} for i, (lid, en) in enumerate(COMPETENCES)],
         options=SCALE_5),
    # --- page 4: optional questions
    dict(code="f2", page=4, type="grid", required=False,
         text="Menurut Anda seberapa besar penekanan pada metode pembelajaran di bawah ini dilaksanakan di program "
              "studi Anda?",
         text_en="How much did your study program emphasise each teaching method?",
         rows=[{"code": f"f2{i + 1}", "label": lid, "label_en": len_} for i, (lid, len_) in enumerate([
             ("Perkuliahan", "Lectures"), ("Demonstrasi", "Demonstrations"),
             ("Partisipasi dalam proyek riset", "Research projects"), ("Magang", "Internships"),
             ("Praktikum", "Lab work"), ("Kerja lapangan", "Field work"), ("Diskusi", "Discussion")])],
         # This scale runs the opposite way to f17xx.
         options=[(1, "Sangat Besar", "Very much"), (2, "Besar", "Much"), (3, "Cukup Besar", "Fairly"),
                  (4, "Kurang", "Little"), (5, "Tidak Sama Sekali", "Not at all")]),
    dict(code="f301", page=4, type="single", required=False,
         text="Kapan Anda mulai mencari pekerjaan?", text_en="When did you start looking for work?",
         options=[(1, "Kira-kira sebelum lulus", "Before graduating"),
                  (2, "Kira-kira sesudah lulus", "After graduating"),
                  (3, "Saya tidak mencari kerja", "I did not look for work")]),
    dict(code="f302", page=4, type="integer", required=False, min=0, max=60, show_if=[{"code": "f301", "in": [1]}],
         text="Berapa bulan sebelum lulus?", text_en="How many months before graduating?"),
    dict(code="f303", page=4, type="integer", required=False, min=0, max=60, show_if=[{"code": "f301", "in": [2]}],
         text="Berapa bulan sesudah lulus?", text_en="How many months after graduating?"),
    dict(code="f4", page=4, type="multiple", required=False,
         text="Bagaimana Anda mencari pekerjaan tersebut? (jawaban bisa lebih dari satu)",
         text_en="How did you look for that job? (you may choose several)",
         options=[(1, "Melalui iklan di koran/majalah, brosur", "Newspaper/magazine ads, brochures"),
                  (2, "Melamar ke perusahaan tanpa mengetahui lowongan yang ada", "Applied without a known vacancy"),
                  (3, "Pergi ke bursa/pameran kerja", "Job fairs"),
                  (4, "Mencari lewat internet/iklan online/milis", "Internet, online ads, mailing lists"),
                  (5, "Dihubungi oleh perusahaan", "Contacted by the employer"),
                  (6, "Menghubungi Kemenakertrans", "Contacted the Ministry of Manpower"),
                  (7, "Menghubungi agen tenaga kerja komersial/swasta", "Commercial recruitment agency"),
                  (8, "Memeroleh informasi dari pusat/kantor pengembangan karir fakultas/universitas",
                   "University or faculty career centre"),
                  (9, "Menghubungi kantor kemahasiswaan/hubungan alumni", "Student affairs/alumni office"),
                  (10, "Membangun jejaring (network) sejak masih kuliah", "Networking while studying"),
                  (11, "Melalui relasi (misalnya dosen, orang tua, saudara, teman, dll.)",
                   "Through relations (lecturers, parents, family, friends…)"),
                  (12, "Membangun bisnis sendiri", "Started my own business"),
                  (13, "Melalui penempatan kerja atau magang", "Job placement or internship"),
                  (14, "Bekerja di tempat yang sama dengan tempat kerja semasa kuliah",
                   "Same workplace as while studying"),
                  (15, "Lainnya", "Other")]),
    dict(code="f416", page=4, type="text", required=False, show_if=[{"code": "f4", "in": [15]}],
         text="Lainnya, tuliskan:", text_en="Other, please specify:"),
    dict(code="f6", page=4, type="integer", required=False, min=0, max=1000,
         text="Berapa perusahaan/instansi/institusi yang sudah Anda lamar sebelum memeroleh pekerjaan pertama?",
         text_en="How many employers did you apply to before your first job?"),
    dict(code="f7", page=4, type="integer", required=False, min=0, max=1000,
         text="Berapa banyak perusahaan/instansi/institusi yang merespons lamaran Anda?",
         text_en="How many of them responded to your application?"),
    dict(code="f7a", page=4, type="integer", required=False, min=0, max=1000,
         text="Berapa banyak perusahaan/instansi/institusi yang mengundang Anda untuk wawancara?",
         text_en="How many invited you to an interview?"),
    dict(code="f1001", page=4, type="single", required=False,
         text="Apakah Anda aktif mencari pekerjaan dalam 4 minggu terakhir?",
         text_en="Have you actively looked for work in the last 4 weeks?",
         options=[(1, "Tidak", "No"), (2, "Tidak, tapi saya sedang menunggu hasil lamaran kerja",
                                      "No, but I am waiting for the result of an application"),
                  (3, "Ya, saya akan mulai bekerja dalam 2 minggu ke depan", "Yes, I start work within 2 weeks"),
                  (4, "Ya, tapi saya belum pasti akan bekerja dalam 2 minggu ke depan",
                   "Yes, but it is not certain I will start within 2 weeks"),
                  (5, "Lainnya", "Other")]),
    dict(code="f1002", page=4, type="text", required=False, show_if=[{"code": "f1001", "in": [5]}],
         text="Lainnya, tuliskan:", text_en="Other, please specify:"),
    dict(code="f16", page=4, type="multiple", required=False, show_if=WORKING,
         text="Jika menurut Anda pekerjaan Anda saat ini tidak sesuai dengan pendidikan Anda, mengapa Anda "
              "mengambilnya? (jawaban bisa lebih dari satu)",
         text_en="If your current job does not match your education, why did you take it? (you may choose several)",
         options=[(1, "Pertanyaan tidak sesuai; pekerjaan saya sekarang sudah sesuai dengan pendidikan saya",
                   "Not applicable: my job matches my education"),
                  (2, "Saya belum mendapatkan pekerjaan yang lebih sesuai", "I have not found a better-matching job"),
                  (3, "Di pekerjaan ini saya memeroleh prospek karir yang baik", "Good career prospects"),
                  (4, "Saya lebih suka bekerja di area pekerjaan yang tidak ada hubungannya dengan pendidikan saya",
                   "I prefer work unrelated to my education"),
                  (5, "Saya dipromosikan ke posisi yang kurang berhubungan dengan pendidikan saya dibanding posisi "
                      "sebelumnya", "I was promoted to a less related position"),
                  (6, "Saya dapat memeroleh pendapatan yang lebih tinggi di pekerjaan ini", "Higher income"),
                  (7, "Pekerjaan saya saat ini lebih aman/terjamin/secure", "More secure"),
                  (8, "Pekerjaan saya saat ini lebih menarik", "More interesting"),
                  (9, "Pekerjaan saya saat ini lebih memungkinkan saya mengambil pekerjaan tambahan/jadwal yang "
                      "fleksibel, dll.", "Allows extra work or a flexible schedule"),
                  (10, "Pekerjaan saya saat ini lokasinya lebih dekat dari rumah saya", "Closer to home"),
                  (11, "Pekerjaan saya saat ini dapat lebih menjamin kebutuhan keluarga saya",
                   "Better provides for my family"),
                  (12, "Pada awal meniti karir ini, saya harus menerima pekerjaan yang tidak berhubungan dengan "
                       "pendidikan saya", "At the start of a career one must accept unrelated work"),
                  (13, "Lainnya", "Other")]),
    dict(code="f1614", page=4, type="text", required=False, show_if=[{"code": "f16", "in": [13]}],
         text="Lainnya, tuliskan:", text_en="Other, please specify:"),
]

EMPLOYER_ASPECTS = [
    ("etika", "Etika", "Ethics"),
    ("keahlian", "Keahlian pada bidang ilmu (kompetensi utama)", "Expertise in the field (core competence)"),
    ("bahasa_asing", "Kemampuan berbahasa asing", "Foreign languages"),
    ("teknologi_informasi", "Penggunaan teknologi informasi", "Use of information technology"),
    ("komunikasi", "Kemampuan berkomunikasi", "Communication"),
    ("kerjasama", "Kerjasama tim", "Teamwork"),
    ("pengembangan_diri", "Pengembangan diri", "Self-development"),
]
EMPLOYER = [
    dict(code=code, page=1, type="scale", required=True, text=text, text_en=text_en,
         options=[(4, "Sangat Baik", "Very good"), (3, "Baik", "Good"), (2, "Cukup", "Fair"), (1, "Kurang", "Poor")])
    for code, text, text_en in EMPLOYER_ASPECTS
] + [
    dict(code="saran", page=1, type="text", required=False,
         text="Saran untuk program studi", text_en="Suggestions for the study program"),
]

SURVEYS = {
    "dikti-core": ("Tracer Study Dikti — Kuesioner Inti", "Dikti tracer study — core questionnaire", "alumni", CORE),
    "dikti-employer": ("Survei Kepuasan Pengguna Lulusan", "Employer satisfaction survey", "employer", EMPLOYER),
}


def install(Survey, SurveyVersion, Question, Option) -> None:  # noqa: N803 - historical models from a migration
    """Create version 1 of both national surveys unless they exist."""
    for slug, (title, title_en, kind, questions) in SURVEYS.items():
        survey, created = Survey.objects.get_or_create(
            slug=slug, defaults={"title": title, "title_en": title_en, "kind": kind}
        )
        if not created and SurveyVersion.objects.filter(survey=survey).exists():
            continue
        version = SurveyVersion.objects.create(survey=survey, number=1)
        options = []
        for position, spec in enumerate(questions, start=1):
            question = Question.objects.create(
                version=version, code=spec["code"], position=position, page=spec["page"], type=spec["type"],
                text=spec["text"], text_en=spec.get("text_en", ""), help=spec.get("help", ""),
                help_en=spec.get("help_en", ""), required=spec.get("required", False),
                min_value=spec.get("min"), max_value=spec.get("max"), show_if=spec.get("show_if", []),
                rows=spec.get("rows", []),
            )
            options += [
                Option(question=question, value=value, label_id=label, label_en=label_en, position=n)
                for n, (value, label, label_en) in enumerate(spec.get("options", []), start=1)
            ]
        Option.objects.bulk_create(options)
