"""LKPS tables and IKU-1 against a hand-computed cohort (TS = 2025: rows 2021, 2022, 2023; IKU-1 cohort 2024).

Every expected number below was worked out by hand from the fixture, not recomputed from the code.
"""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from alumni.models import Province, StudyProgram
from core.models import AuditLog
from tests.factories import AlumniProfileFactory, StudyProgramFactory
from tracer.lkps import lkps_tables
from tracer.models import Answer, FollowUpPlan, MinimumWage, Response, Survey

pytestmark = pytest.mark.django_db
TS = 2025
D = Decimal


def _version(slug):
    return Survey.objects.get(slug=slug).latest_version()


def graduate(program, year, nim=None):
    kwargs = {"nim": nim} if nim else {}
    return AlumniProfileFactory(study_program=program, user=None, graduation_date=datetime.date(year, 7, 1), **kwargs)


def respond(profile, answers, *, slug="dikti-core", submitted=True, day=1):
    response = Response.objects.create(
        version=_version(slug),
        profile=profile,
        status=Response.Status.SUBMITTED if submitted else Response.Status.PARTIAL,
        submitted_at=timezone.make_aware(datetime.datetime(2025, 1, day)) if submitted else None,
    )
    Answer.objects.bulk_create([Answer(response=response, code=code, value_int=v) for code, v in answers.items()])
    return response


@pytest.fixture
def cohort(national_surveys, provinces):
    x = StudyProgramFactory(code="71201", name="Ilmu Perpustakaan", level=StudyProgram.Level.S1)
    z = StudyProgramFactory(code="40401", name="Manajemen Informatika", level=StudyProgram.Level.D3)
    other = StudyProgramFactory(code="99999", level=StudyProgram.Level.S1)
    # 2021 (S1): buckets WT 0 / 6 / 18 / 19; f14 1–4; f5d 1–3 and one missing; one untraced; one only partial.
    g1 = graduate(x, 2021, "A1")
    respond(g1, {"f8": 1, "f502": 0, "f14": 1, "f5d": 1})
    g2 = graduate(x, 2021, "A2")
    respond(g2, {"f8": 1, "f502": 6, "f14": 2, "f5d": 2})
    respond(graduate(x, 2021), {"f8": 3, "f502": 18, "f14": 3, "f5d": 3})
    respond(graduate(x, 2021), {"f8": 1, "f502": 19, "f14": 4})
    graduate(x, 2021)
    respond(graduate(x, 2021), {"f8": 1, "f502": 1, "f14": 1, "f5d": 1}, submitted=False)
    # 2022: two submitted responses (the later one counts); a non-working graduate; a working one with no details.
    g7 = graduate(x, 2022)
    respond(g7, {"f8": 1, "f502": 25, "f14": 1, "f5d": 3}, day=1)
    respond(g7, {"f8": 1, "f502": 5, "f14": 5, "f5d": 1}, day=20)
    respond(graduate(x, 2022), {"f8": 2, "f502": 3, "f14": 1, "f5d": 1})
    respond(graduate(x, 2022), {"f8": 1})
    # 2023: WT 7; further study.
    g10 = graduate(x, 2023)
    respond(g10, {"f8": 1, "f502": 7, "f14": 3, "f5d": 2})
    respond(graduate(x, 2023), {"f8": 4})
    # Outside the rows: another year, another program.
    respond(graduate(x, 2020), {"f8": 1, "f502": 0, "f14": 1, "f5d": 1})
    respond(graduate(other, 2021), {"f8": 1, "f502": 0, "f14": 1, "f5d": 1})
    # IKU-1 cohort 2024: province 010000 has a 2024 wage of 5,000,000 (1.2× = 6,000,000); 020000 only for 2023.
    jakarta, jabar = Province.objects.get(code="010000"), Province.objects.get(code="020000")
    MinimumWage.objects.create(province=jakarta, year=2024, amount=5_000_000)
    MinimumWage.objects.create(province=jabar, year=2023, amount=2_000_000)
    respond(graduate(x, 2024, "I1"), {"f8": 1, "f502": 2, "f505": 6_000_000, "f5a1": 10000})  # exactly 1.2×: ok
    respond(graduate(x, 2024, "I2"), {"f8": 1, "f502": 2, "f505": 5_999_999, "f5a1": 10000})  # just below
    respond(graduate(x, 2024, "I3"), {"f8": 3, "f502": 1, "f505": 9_000_000, "f5a1": 20000})  # no 2024 wage
    respond(graduate(x, 2024, "I4"), {"f8": 4})  # further study
    respond(graduate(x, 2024, "I5"), {"f8": 1, "f502": 6, "f505": 9_000_000, "f5a1": 10000})  # WT 6: not < 6
    graduate(x, 2024, "I6")  # not traced
    # Employer ratings (4 Sangat Baik … 1 Kurang).
    aspects = ["etika", "keahlian", "bahasa_asing", "teknologi_informasi", "komunikasi", "kerjasama",
               "pengembangan_diri"]
    respond(g1, {a: 4 for a in aspects if a != "bahasa_asing"}, slug="dikti-employer")
    respond(g2, {a: 3 for a in aspects}, slug="dikti-employer")
    respond(g10, {**{a: 1 for a in aspects}, "etika": 2, "bahasa_asing": 4}, slug="dikti-employer")
    respond(g7, {"etika": 4}, slug="dikti-employer", submitted=False)
    FollowUpPlan.objects.create(study_program=x, ts=TS, aspect="bahasa_asing", text="Kursus bahasa Inggris")
    # D3 program, 2021: WT 0, 3, 6, 7, 2.
    for wt in (0, 3, 6, 7, 2):
        respond(graduate(z, 2021), {"f8": 1 if wt != 6 else 3, "f502": wt})
    return x, z


def rows(table):
    return [[r[k] for k in ("year", *table["keys"])] for r in table["rows"]] + [
        [table["total"][k] for k in ("year", *table["keys"])]
    ]


def test_tables_sarjana(cohort):
    x, _z = cohort
    t = lkps_tables(study_program=x, ts=TS)
    assert t["layout"] == "sarjana"
    # year, graduates, traced, WT<6, 6≤WT≤18, WT>18
    assert rows(t["8.d.1"]) == [
        [2021, 6, 4, 1, 2, 1],
        [2022, 3, 3, 1, 0, 0],
        [2023, 2, 2, 0, 1, 0],
        ["Jumlah", 11, 9, 2, 3, 1],
    ]
    # year, graduates, traced, Rendah, Sedang, Tinggi
    assert rows(t["8.d.2"]) == [
        [2021, 6, 4, 1, 1, 2],
        [2022, 3, 3, 1, 0, 0],
        [2023, 2, 2, 0, 1, 0],
        ["Jumlah", 11, 9, 2, 2, 2],
    ]
    # year, graduates, traced, lokal, nasional, multinasional
    assert rows(t["8.e.1"]) == [
        [2021, 6, 4, 1, 1, 1],
        [2022, 3, 3, 1, 0, 0],
        [2023, 2, 2, 0, 1, 0],
        ["Jumlah", 11, 9, 2, 2, 1],
    ]
    assert rows(t["Ref 8.e.2"]) == [[2021, 6, 2], [2022, 3, 0], [2023, 2, 1], ["Jumlah", 11, 3]]


def test_table_d3(cohort):
    _x, z = cohort
    t = lkps_tables(study_program=z, ts=TS)
    assert t["layout"] == "d3"
    # year, graduates, traced, ordered before graduating, WT<3, 3≤WT≤6, WT>6
    assert rows(t["8.d.1"]) == [
        [2021, 5, 5, 1, 2, 2, 1],
        [2022, 0, 0, 0, 0, 0, 0],
        [2023, 0, 0, 0, 0, 0, 0],
        ["Jumlah", 5, 5, 1, 2, 2, 1],
    ]
    # No employer response: empty cells, not zero.
    e = t["8.e.2"]
    assert all(r[g] is None for r in e["rows"] for g in ("sangat_baik", "baik", "cukup", "kurang"))
    assert e["total"]["baik"] is None and e["mean"]["baik"] is None


def test_employer_satisfaction(cohort):
    x, _z = cohort
    e = lkps_tables(study_program=x, ts=TS)["8.e.2"]
    grades = ("sangat_baik", "baik", "cukup", "kurang")
    got = [[r["number"], *(r[g] for g in grades)] for r in e["rows"]]
    third, zero = D("33.33"), D("0.00")
    assert got == [
        [1, third, third, third, zero],
        [2, third, third, zero, third],
        [3, D("50.00"), D("50.00"), zero, zero],
        [4, third, third, zero, third],
        [5, third, third, zero, third],
        [6, third, third, zero, third],
        [7, third, third, zero, third],
    ]
    assert [e["total"][g] for g in grades] == [D("249.98"), D("249.98"), D("33.33"), D("166.65")]
    assert [e["mean"][g] for g in grades] == [D("35.71"), D("35.71"), D("4.76"), D("23.81")]
    assert e["rows"][2]["plan"] == "Kursus bahasa Inggris" and e["rows"][0]["plan"] == ""


def test_iku1(cohort):
    x, _z = cohort
    iku = lkps_tables(study_program=x, ts=TS)["IKU-1"]
    assert (iku["year"], iku["graduates"], iku["traced"], iku["success"], iku["unjudged"]) == (2024, 6, 5, 2, 1)
    assert iku["iku"] == D("40.00")
    assert iku["response_rate"] == D("83.33")
    assert [g["nim"] for g in iku["unjudged_graduates"]] == ["I3"]


def _bulk(program, n, start):
    for i in range(n):
        p = graduate(program, 2021 + i % 4, f"B{start + i}")
        respond(p, {"f8": 1, "f502": i % 20, "f14": 1 + i % 5, "f5d": 1 + i % 3, "f505": 7_000_000, "f5a1": 10000})
        respond(p, {a: 1 + i % 4 for a in ("etika", "kerjasama")}, slug="dikti-employer")


def test_query_count_is_fixed(national_surveys, provinces, django_assert_max_num_queries):
    program = StudyProgramFactory(code="55555")
    counts = []
    for size, start in ((4, 0), (40, 100)):
        _bulk(program, size, start)
        with django_assert_max_num_queries(6) as captured:
            lkps_tables(study_program=program, ts=TS)
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_workbook(cohort, tmp_path):
    x, _z = cohort
    out = tmp_path / "lkps.xlsx"
    call_command("export_lkps", "--study-program", "71201", "--ts", str(TS), "--output", str(out), stdout=io.StringIO())
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["8.d.1", "8.d.2", "8.e.1", "8.e.2", "Ref 8.e.2", "IKU-1"]
    for name in ("8.d.1", "8.d.2", "8.e.1", "Ref 8.e.2"):
        firsts = [row[0] for row in book[name].iter_rows(values_only=True) if row[0] in (2021, 2022, 2023, "Jumlah")]
        assert firsts == [2021, 2022, 2023, "Jumlah"], name
    d1 = {row[0]: row for row in book["8.d.1"].iter_rows(values_only=True)}
    assert d1[2021][:6] == (2021, 6, 4, 1, 2, 1) and d1["Jumlah"][:6] == ("Jumlah", 11, 9, 2, 3, 1)
    e2 = {row[0]: row for row in book["8.e.2"].iter_rows(values_only=True)}
    assert [n for n in e2 if n in range(1, 8) or n == "Jumlah"] == [1, 2, 3, 4, 5, 6, 7, "Jumlah"]
    assert e2[3][2:7] == (50, 50, 0, 0, "Kursus bahasa Inggris")
    assert e2["Jumlah"][2] == pytest.approx(249.98)
    iku = [row for row in book["IKU-1"].iter_rows(values_only=True) if row[0] == 2024]
    assert iku == [(2024, 6, 5, 2, 1, 40)]
    assert ("Tingkat respons (Terlacak / Jumlah Lulusan, %)", 83.33) in {
        row[:2] for row in book["IKU-1"].iter_rows(values_only=True)
    }
    assert any("f14" in str(row[0]) for row in book["8.d.2"].iter_rows(values_only=True) if row[0])
    assert AuditLog.objects.filter(action="tracer.lkps.exported").count() == 1


def test_export_unknown_program(db, tmp_path):
    with pytest.raises(CommandError):
        call_command("export_lkps", "--study-program", "nope", "--ts", "2025", "--output", str(tmp_path / "a.xlsx"))


def test_import_minimum_wages(provinces, tmp_path):
    MinimumWage.objects.create(province=Province.objects.get(code="010000"), year=2024, amount=1)
    good = tmp_path / "wages.csv"
    good.write_text("province,year,amount\n010000,2024,5067381\njawa barat,2024,2.057.495\n", encoding="utf-8")
    call_command("import_minimum_wages", str(good), stdout=io.StringIO())
    assert dict(MinimumWage.objects.values_list("province__code", "amount")) == {
        "010000": 5067381, "020000": 2057495,
    }
    bad = tmp_path / "bad.csv"
    bad.write_text("province,year,amount\n010000,2025,1\nAtlantis,2025,2\n020000,20x5,-3\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_minimum_wages", str(bad), stdout=out)
    assert "row 3, province" in out.getvalue() and "row 4, year" in out.getvalue() and "row 4, amount" in out.getvalue()
    assert MinimumWage.objects.count() == 2  # nothing of the bad file was saved


def test_import_minimum_wages_xlsx(provinces, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Province", "Year", "Amount"])
    book.active.append(["DKI Jakarta", 2024, 5067381])
    path = tmp_path / "w.xlsx"
    book.save(path)
    call_command("import_minimum_wages", str(path), stdout=io.StringIO())
    assert MinimumWage.objects.get(year=2024).amount == 5067381
    with pytest.raises(CommandError):
        call_command("import_minimum_wages", str(tmp_path / "missing.csv"))


def test_admins_maintain_wages_on_the_portal_and_staff_their_own_follow_up_plans(admin_user, staff_x, staff_y,
                                                                                  prodi_x):
    from django.urls import reverse

    from tests.conftest import client_for

    assert client_for(admin_user).get(reverse("tracer:minimum_wages")).status_code == 200
    assert client_for(staff_x).get(reverse("tracer:minimum_wages")).status_code == 403
    plans = reverse("tracer:lkps_plans", args=[prodi_x.code, 2025])
    assert client_for(staff_x).get(plans).status_code == 200
    assert client_for(staff_y).get(plans).status_code == 404  # another study program's plans: not found
    # The admin is for superusers only.
    assert client_for(admin_user).get(reverse("admin:tracer_minimumwage_add")).status_code == 403
    assert client_for(staff_x).get(reverse("admin:tracer_followupplan_changelist")).status_code == 403


def test_charts_stack_only_the_buckets(cohort):
    """'Ordered before graduating' (WT = 0) is inside 'WT < 3': stacking both would count a graduate twice."""
    from tracer.lkps import bucket_columns

    _x, z = cohort
    t = lkps_tables(study_program=z, ts=TS)
    assert [key for key, _heading in bucket_columns(t, "8.d.1")] == ["wt_low", "wt_mid", "wt_high"]
    assert [key for key, _heading in bucket_columns(t, "8.d.2")] == ["fit_low", "fit_mid", "fit_high"]
