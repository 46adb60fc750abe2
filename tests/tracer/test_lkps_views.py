"""The LKPS report pages: tabs with footnotes and charts, drill-down into counts, follow-up plans, downloads (each
audited) and the fixed number of queries. Expected numbers are written out by hand from the small cohort below."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from core.models import AuditLog
from programs.models import Participation
from tests.conftest import client_for
from tests.factories import ProgramFactory, SessionFactory, UserFactory
from tests.tracer.test_lkps import graduate, respond
from tracer.models import FollowUpPlan

pytestmark = pytest.mark.django_db
TS = 2025


@pytest.fixture
def report(national_surveys, provinces, prodi_x, prodi_y):
    """prodi_x (S1), TS = 2025: 2021 has WT 2, 6, 18 and an untraced graduate; 2023 has WT 20; 2024 (IKU) one
    further-study graduate. One employer response rates every aspect 'Baik' except komunikasi 'Kurang'."""
    a1 = graduate(prodi_x, 2021, "N2101")
    respond(a1, {"f8": 1, "f502": 2, "f14": 1, "f5d": 1})
    respond(graduate(prodi_x, 2021, "N2102"), {"f8": 1, "f502": 6, "f14": 3, "f5d": 2})
    respond(graduate(prodi_x, 2021, "N2103"), {"f8": 3, "f502": 18, "f14": 5, "f5d": 3})
    graduate(prodi_x, 2021, "N2104")
    respond(graduate(prodi_x, 2023, "N2301"), {"f8": 1, "f502": 20})
    respond(graduate(prodi_x, 2024, "N2401"), {"f8": 4})
    aspects = ["etika", "keahlian", "bahasa_asing", "teknologi_informasi", "komunikasi", "kerjasama",
               "pengembangan_diri"]
    respond(a1, {**{a: 3 for a in aspects}, "komunikasi": 1}, slug="dikti-employer")
    # Another study program's graduates never show.
    respond(graduate(prodi_y, 2021, "Y2101"), {"f8": 1, "f502": 2, "f14": 1, "f5d": 1})
    return prodi_x


def url(name, program, *extra, ts=TS):
    return reverse(f"tracer:{name}", args=[program.code, ts, *extra])


def test_every_tab_shows_its_table_footnotes_and_chart(report, staff_x):
    client = client_for(staff_x)
    page = client.get(url("lkps", report))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tabel 8.d.1 Waktu Tunggu Lulusan" in html and 'id="lkps-chart"' in html
    # Row 2021: 4 graduates, 3 traced, WT<6: 1, 6≤WT≤18: 2, WT>18: 0.
    assert [[c["value"] for c in row["cells"]] for row in page.context["table"]["rows"]] == [
        [4, 3, 1, 2, 0], [0, 0, 0, 0, 0], [1, 1, 0, 0, 1], [5, 4, 1, 2, 1],
    ]
    assert page.context["chart"]["datasets"][0]["data"] == [1, 0, 0]
    d2 = client.get(url("lkps", report) + "?tab=8d2").content.decode()
    assert "Konvensi portal: Rendah = f14 4 atau 5" in d2
    e2 = client.get(url("lkps", report) + "?tab=8e2")
    assert [c["value"] for c in e2.context["employer"]["rows"][4]["cells"]] == [0, 0, 0, 100]  # komunikasi: Kurang
    assert e2.context["chart"]["type"] == "stacked100"
    iku = client.get(url("lkps", report) + "?tab=iku1")
    assert (iku.context["iku"]["traced"], iku.context["iku"]["success"]) == (1, 1)
    assert "aturan portal sejak" in iku.content.decode()
    assert client.get(url("lkps", report) + "?tab=ref8e2").status_code == 200
    assert client.get(url("lkps", report) + "?tab=evidence").status_code == 200


def test_a_count_drills_down_to_exactly_its_graduates(report, staff_x):
    client = client_for(staff_x)

    def nims(query):
        response = client.get(url("lkps_cell", report) + query)
        assert response.status_code == 200
        return [row["nim"] for row in response.context["page"].object_list]

    assert nims("?column=wt_mid&year=2021") == ["N2101"][:0] + ["N2102", "N2103"]
    assert nims("?column=graduates&year=2021") == ["N2101", "N2102", "N2103", "N2104"]
    assert nims("?column=traced&year=") == ["N2101", "N2102", "N2103", "N2301"]  # the Jumlah row
    assert nims("?column=wt_high&year=") == ["N2301"]
    assert nims("?column=fit_low&year=2021") == ["N2103"]
    assert nims("?column=komunikasi:1") == ["N2101"]
    assert nims("?column=komunikasi:4") == []
    assert nims("?column=iku_success") == ["N2401"]
    assert nims("?column=employer_responses&year=2021") == ["N2101"]
    iku_traced = client.get(url("lkps_cell", report) + "?column=traced&year=2024")
    assert iku_traced.context["back"] == "iku1" and [r["nim"] for r in iku_traced.context["page"]] == ["N2401"]
    for bad in ("?column=nope", "?column=wt_low&year=2019", "?column=etika:9", "?column=wt_low&year=x",
                "?column=ordered_before&year=2021",  # a D3 column; this program is S1
                "?column=evidence&session=not-a-uuid", "?column=evidence&program=1"):
        assert client.get(url("lkps_cell", report) + bad).status_code == 404, bad


def test_staff_reach_only_their_own_study_program(report, staff_y, alumnus_a):
    assert client_for(staff_y).get(url("lkps", report)).status_code == 404
    assert client_for(staff_y).get(url("lkps_cell", report) + "?column=traced&year=2021").status_code == 404
    assert client_for(staff_y).get(url("lkps_xlsx", report)).status_code == 404
    assert client_for(alumnus_a).get(url("lkps", report)).status_code == 403
    assert not AuditLog.objects.filter(action="tracer.lkps.exported").exists()


def test_unknown_year_or_table_is_not_found(report, staff_x):
    client = client_for(staff_x)
    assert client.get(url("lkps", report, ts=1999)).status_code == 404
    assert client.get(url("lkps_csv", report, "nope")).status_code == 404


def test_index_opens_the_chosen_report(report, staff_x):
    client = client_for(staff_x)
    response = client.get(reverse("tracer:lkps_index"), {"program": report.code, "ts": TS})
    assert response.status_code == 302 and response["Location"] == url("lkps", report)
    bad = client.get(reverse("tracer:lkps_index"), {"program": "79202", "ts": TS})  # staff_x does not run it
    assert bad.status_code == 200 and bad.context["form"].errors["program"]


def test_follow_up_plans_are_saved_shown_and_exported(report, staff_x):
    client = client_for(staff_x)
    FollowUpPlan.objects.create(study_program=report, ts=TS, aspect="etika", text="Lokakarya etika")
    assert client.get(url("lkps_plans", report)).context["form"]["etika"].value() == "Lokakarya etika"
    data = {"etika": "Lokakarya etika", "komunikasi": "  Pelatihan presentasi  "}
    response = client.post(url("lkps_plans", report), data)
    assert response.status_code == 302
    plan = FollowUpPlan.objects.get(study_program=report, ts=TS, aspect="komunikasi")
    assert (plan.text, plan.updated_by) == ("Pelatihan presentasi", staff_x)
    log = AuditLog.objects.get(action="tracer.lkps.plan_updated")
    assert log.data == {"ts": TS, "aspects": ["komunikasi"]} and log.actor == staff_x
    assert "Pelatihan presentasi" in client.get(url("lkps", report) + "?tab=8e2").content.decode()
    book = openpyxl.load_workbook(io.BytesIO(client.get(url("lkps_xlsx", report)).content))
    e2 = {row[0]: row for row in book["8.e.2"].iter_rows(values_only=True)}
    assert e2[5][6] == "Pelatihan presentasi" and e2[1][6] == "Lokakarya etika"
    # Too long: the form comes back with the error and nothing changes.
    response = client.post(url("lkps_plans", report), {"etika": "x" * 2001, "komunikasi": "baru"})
    assert response.status_code == 200 and response.context["form"].errors["etika"]
    assert FollowUpPlan.objects.get(study_program=report, ts=TS, aspect="komunikasi").text == "Pelatihan presentasi"
    # Another TS keeps its own plans.
    assert client.get(url("lkps_plans", report, ts=2024)).context["form"]["komunikasi"].value() is None


def test_every_download_is_audited_with_who_and_what(report, staff_x):
    client = client_for(staff_x)
    xlsx = client.get(url("lkps_xlsx", report))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["8.d.1", "8.d.2", "8.e.1", "8.e.2", "Ref 8.e.2", "IKU-1"]
    pdf = client.get(url("lkps_pdf", report))
    assert pdf.content.startswith(b"%PDF") and pdf["Content-Disposition"].endswith('.pdf"')
    d1 = client.get(url("lkps_csv", report, "8d1"))
    rows = list(csv.reader(io.StringIO(d1.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Tahun Lulus", "Jumlah Lulusan", "Jumlah Lulusan yang Terlacak"]
    assert rows[1:] == [["2021", "4", "3", "1", "2", "0"], ["2022", "0", "0", "0", "0", "0"],
                        ["2023", "1", "1", "0", "0", "1"], ["Jumlah", "5", "4", "1", "2", "1"]]
    e2 = list(csv.reader(io.StringIO(client.get(url("lkps_csv", report, "8e2")).content.decode("utf-8-sig"))))
    assert e2[5][:6] == ["5", "Kemampuan berkomunikasi", "0.00", "0.00", "0.00", "100.00"]
    iku = list(csv.reader(io.StringIO(client.get(url("lkps_csv", report, "iku1")).content.decode("utf-8-sig"))))
    assert iku[1] == ["2024", "1", "1", "1", "0", "100.00"]
    for table in ("8d2", "8e1", "ref8e2", "evidence"):
        assert client.get(url("lkps_csv", report, table)).status_code == 200
    assert client.get(url("lkps_evidence_xlsx", report)).status_code == 200
    logs = AuditLog.objects.filter(action="tracer.lkps.exported").order_by("created_at", "pk")
    assert [(log.data["format"], log.data["table"]) for log in logs] == [
        ("xlsx", "all"), ("pdf", "all"), ("csv", "8d1"), ("csv", "8e2"), ("csv", "iku1"), ("csv", "8d2"),
        ("csv", "8e1"), ("csv", "ref8e2"), ("csv", "evidence"), ("xlsx", "evidence"),
    ]
    assert {log.actor for log in logs} == {staff_x} and {log.study_program for log in logs} == {report}
    # The report lists the latest downloads.
    page = client.get(url("lkps", report))
    assert len(page.context["exports"]) == 5


def test_evidence_tab_counts_alumni_roles(report, staff_x, alumnus_a):
    program = ProgramFactory(study_program=report, title="Kuliah Tamu Alumni", status="running")
    import datetime

    from django.utils import timezone

    session = SessionFactory(program=program, start=timezone.make_aware(datetime.datetime(2024, 3, 5, 9)),
                             end=timezone.make_aware(datetime.datetime(2024, 3, 5, 11)))
    Participation.objects.create(program=program, session=session, user=alumnus_a, role="speaker")
    Participation.objects.create(program=program, session=session, user=UserFactory(), role="participant")
    client = client_for(staff_x)
    page = client.get(url("lkps", report) + "?tab=evidence")
    per_year = {row["year"]: row for row in page.context["evidence"]["per_year"]}
    assert (per_year[2024]["speaker"], per_year[2024]["participant"], per_year[2024]["alumni"]) == (1, 0, 1)
    assert "Kuliah Tamu Alumni" in page.content.decode()
    drill = client.get(url("lkps_cell", report) + f"?column=evidence&program={program.pk}&session={session.pk}")
    assert [row["role"] for row in drill.context["page"].object_list] == ["speaker"]
    book = openpyxl.load_workbook(io.BytesIO(client.get(url("lkps_evidence_xlsx", report)).content))
    assert book.sheetnames == ["Ringkasan", "Kegiatan"]
    assert any("Kuliah Tamu Alumni" in row for row in book["Kegiatan"].iter_rows(values_only=True))


def _grow(program, n, start):
    for i in range(n):
        p = graduate(program, 2021 + i % 4, f"G{start + i}")
        respond(p, {"f8": 1, "f502": i % 20, "f14": 1 + i % 5, "f5d": 1 + i % 3, "f505": 7_000_000, "f5a1": 10000})
        respond(p, {"etika": 1 + i % 4}, slug="dikti-employer")


@pytest.mark.parametrize("tab", ["8d1", "8e2", "iku1", "evidence"])
def test_report_runs_a_fixed_number_of_queries(report, staff_x, django_assert_max_num_queries, tab):
    client = client_for(staff_x)
    counts = []
    for size, start in ((3, 0), (30, 100)):
        _grow(report, size, start)
        with django_assert_max_num_queries(20) as captured:
            assert client.get(url("lkps", report) + f"?tab={tab}").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_typed_text_cannot_become_a_formula_in_the_exports(report, staff_x):
    client = client_for(staff_x)
    client.post(url("lkps_plans", report), {"etika": '=HYPERLINK("http://evil.example","klik")'})
    rows = list(csv.reader(io.StringIO(client.get(url("lkps_csv", report, "8e2")).content.decode("utf-8-sig"))))
    assert rows[1][6] == '\'=HYPERLINK("http://evil.example","klik")'
    book = openpyxl.load_workbook(io.BytesIO(client.get(url("lkps_xlsx", report)).content))
    e2 = {row[0]: row for row in book["8.e.2"].iter_rows(values_only=True)}
    assert e2[1][6].startswith("'=") and book["8.e.2"].cell(row=5, column=7).data_type == "s"
