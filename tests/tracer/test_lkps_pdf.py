"""The LKPS PDF (tracer/lkps_pdf.py) for a small cohort, TS = 2025 (rows 2021–2023, IKU-1 cohort 2024).

pypdf is not a dependency, so the tests switch reportlab's page compression off and look for the text in the raw
bytes: DejaVu is embedded as a subset whose ASCII characters keep their codes (rl_config.ttfAsciiReadable), so ASCII
text such as "Ilmu Perpustakaan" or "33,33" appears literally in the content streams.
"""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from reportlab import rl_config

from alumni.models import Province, StudyProgram
from core.pdf import fmt_datetime
from tests.factories import AlumniProfileFactory, StudyProgramFactory
from tracer.lkps import lkps_tables
from tracer.lkps_pdf import fmt_percent, lkps_pdf
from tracer.models import Answer, FollowUpPlan, MinimumWage, Response, Survey

pytestmark = pytest.mark.django_db
TS = 2025
GENERATED_AT = datetime.datetime(2026, 11, 29, 7, 5, tzinfo=datetime.UTC)  # 14:05 in Jakarta


@pytest.fixture(autouse=True)
def readable_pdf(monkeypatch):
    monkeypatch.setattr(rl_config, "pageCompression", 0)


def graduate(program, year, nim=None):
    kwargs = {"nim": nim} if nim else {}
    return AlumniProfileFactory(study_program=program, user=None, graduation_date=datetime.date(year, 7, 1), **kwargs)


def respond(profile, answers, *, slug="dikti-core"):
    response = Response.objects.create(
        version=Survey.objects.get(slug=slug).latest_version(),
        profile=profile,
        status=Response.Status.SUBMITTED,
        submitted_at=timezone.make_aware(datetime.datetime(2025, 1, 1)),
    )
    Answer.objects.bulk_create([Answer(response=response, code=code, value_int=v) for code, v in answers.items()])
    return response


@pytest.fixture
def cohort(national_surveys, provinces):
    x = StudyProgramFactory(code="71201", name="Ilmu Perpustakaan", level=StudyProgram.Level.S1)
    # 2021: three graduates, WT 2 / 7 / 30; one untraced.
    g1 = graduate(x, 2021)
    respond(g1, {"f8": 1, "f502": 2, "f14": 1, "f5d": 1})
    g2 = graduate(x, 2021)
    respond(g2, {"f8": 1, "f502": 7, "f14": 3, "f5d": 2})
    g3 = graduate(x, 2021)
    respond(g3, {"f8": 3, "f502": 30, "f14": 5, "f5d": 3})
    graduate(x, 2021)
    # 2023: one working graduate.
    respond(graduate(x, 2023), {"f8": 1, "f502": 1, "f14": 2, "f5d": 2})
    # IKU-1 cohort 2024: one success, one without a minimum wage (cannot be judged), one untraced.
    MinimumWage.objects.create(province=Province.objects.get(code="010000"), year=2024, amount=5_000_000)
    respond(graduate(x, 2024, "I1"), {"f8": 1, "f502": 2, "f505": 6_000_000, "f5a1": 10000})
    respond(graduate(x, 2024, "I2"), {"f8": 1, "f502": 2, "f505": 9_000_000, "f5a1": 20000})
    graduate(x, 2024, "I3")
    # Employers: etika rated 4, 3, 3 → Sangat Baik 33,33 %, Baik 66,67 %.
    for profile, grade in ((g1, 4), (g2, 3), (g3, 3)):
        respond(profile, {"etika": grade, "keahlian": 3}, slug="dikti-employer")
    FollowUpPlan.objects.create(
        study_program=x, ts=TS, aspect="etika",
        text="Lokakarya etika profesi setiap semester bersama mitra industri dan asosiasi profesi pustakawan",
    )
    return x


def evidence(rows: int) -> dict:
    years = [TS - 2, TS - 1, TS]
    detail = [
        {
            "year": years[i % 3], "date": datetime.date(years[i % 3], 1 + i % 12, 1 + i % 28),
            "program": f"Kuliah tamu alumni {i}", "program_id": i, "session": "" if i % 4 == 0 else f"Sesi {i}",
            "session_id": None if i % 4 == 0 else 1000 + i, "kind": "talk", "speaker": 1, "mentor": 0,
            "committee": 2, "participant": 17, "volunteer": 0, "alumni": 3,
        }
        for i in range(rows)
    ]
    keys = ("programs", "sessions", "speaker", "mentor", "committee", "participant", "volunteer", "alumni")
    per_year = [{"year": y, **{k: 4 for k in keys}} for y in years]
    return {
        "years": years, "rows": detail, "per_year": per_year,
        "total": {"year": "Jumlah", **{k: 12 for k in keys}},
        "note": "Alumni dihitung sekali per kegiatan.",
    }


def pdf_text(pdf: bytes) -> bytes:
    """The strings shown by text operators (Tj), joined by newlines; PDF escapes undone for parentheses."""
    shown = re.findall(rb"\(((?:[^()\\]|\\.)*)\)\s*Tj", pdf)
    return b"\n".join(s.replace(rb"\(", b"(").replace(rb"\)", b")").replace(rb"\\", b"\\") for s in shown)


def test_pdf_sarjana(cohort):
    tables = lkps_tables(study_program=cohort, ts=TS)
    pdf = lkps_pdf(tables, evidence=None, generated_at=GENERATED_AT, generated_by="Siti Aminah")
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    # Title page: program, TS, the years covered, when and by whom.
    assert b"Ilmu Perpustakaan" in text
    assert b"71201" in text
    assert b"2025" in text
    assert b"TS-4 = 2021, TS-3 = 2022, TS-2 = 2023" in text
    assert b"TS-1 = 2024" in text
    assert b"29 November 2026 14:05 WIB" in text
    assert b"Siti Aminah" in text
    # Counts: 2021 has 4 graduates, 3 traced; the Jumlah row of 8.d.1 has 5 graduates (4 + 0 + 1).
    assert b"\n2021\n4\n3\n1\n1\n1\n" in text
    assert b"\nJumlah\n5\n4\n" in text
    # Percentages with a decimal comma: 8.e.2 etika, IKU-1 (1 of 2 traced) and the response rate (2 of 3).
    assert b"33,33" in text and b"66,67" in text
    assert b"50,00" in text
    assert b"66,67 %" in text
    # The graduate whose province has no minimum wage yet is listed; the footer numbers the pages.
    assert b"I2" in text
    assert b"Halaman 7" in text
    assert b"Bukti Keterlibatan Alumni" not in text
    # The vendored fonts are embedded (as subsets), regular and bold.
    assert re.search(rb"/BaseFont /[A-Z]{6}\+DejaVuSans\b", pdf)
    assert re.search(rb"/BaseFont /[A-Z]{6}\+DejaVuSans-Bold\b", pdf)


def test_pdf_evidence_over_several_pages(cohort):
    tables = lkps_tables(study_program=cohort, ts=TS)
    pdf = lkps_pdf(tables, evidence=evidence(150), generated_at=GENERATED_AT, generated_by="admin@example.org")
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert b"Bukti Keterlibatan Alumni" in text
    assert b"Kuliah tamu alumni 0" in text and b"Kuliah tamu alumni 149" in text
    # 150 rows do not fit on one page: the header row is repeated on each page of the table.
    assert text.count(b"Pembicara") >= 4
    assert b"Halaman 11" in text


def test_pdf_empty_evidence(cohort):
    tables = lkps_tables(study_program=cohort, ts=TS)
    empty = {**evidence(0), "per_year": [], "total": None}
    pdf = lkps_pdf(tables, evidence=empty, generated_at=GENERATED_AT, generated_by="x")
    assert b"Belum ada kegiatan yang tercatat." in pdf_text(pdf)


def test_pdf_d3_has_ordered_before_graduating_column(national_surveys, provinces):
    z = StudyProgramFactory(code="40401", name="Manajemen Informatika", level=StudyProgram.Level.D3)
    for wt in (0, 3, 7):
        respond(graduate(z, 2021), {"f8": 1, "f502": wt})
    tables = lkps_tables(study_program=z, ts=TS)
    pdf = lkps_pdf(tables, evidence=None, generated_at=GENERATED_AT, generated_by="x")
    text = pdf_text(pdf)
    assert b"dipesan sebelum" in text
    assert b"Diploma Tiga (D3)" in text
    # No employer response: 8.e.2 still builds, with empty cells.
    assert all(row["baik"] is None for row in tables["8.e.2"]["rows"])


def test_pdf_sarjana_has_no_ordered_before_graduating_column(cohort):
    pdf = lkps_pdf(lkps_tables(study_program=cohort, ts=TS), evidence=None, generated_at=GENERATED_AT,
                   generated_by="x")
    assert b"dipesan sebelum" not in pdf_text(pdf)


def test_formatting():
    assert fmt_percent(Decimal("33.33")) == "33,33"
    assert fmt_percent(Decimal("1234.5")) == "1.234,50"
    assert fmt_percent(None) == ""
    assert fmt_datetime(GENERATED_AT) == "29 November 2026 14:05 WIB"
    makassar = datetime.datetime(2026, 3, 1, 9, 30, tzinfo=ZoneInfo("Asia/Makassar"))
    with timezone.override("Asia/Makassar"):
        assert fmt_datetime(makassar) == "1 Maret 2026 09:30 WITA"
